//! Errors of the projections crate: store failures, snapshot decoding, waiting past a timeout.

use thiserror::Error;

/// What can go wrong while building or querying read models.
#[derive(Debug, Error)]
pub enum ProjectionError {
    /// The event log refused or failed a read.
    #[error("[STORE] 事件日志读取失败: {0}")]
    Store(#[from] dossier_store::StoreError),
    /// A snapshot could not be encoded or decoded.
    #[error("[SNAPSHOT] 读模型 `{model}` 的快照无法编解码: {source}")]
    Snapshot {
        model: &'static str,
        source: postcard::Error,
    },
    /// `wait_for` gave up before the models reached the position.
    #[error("[WAIT_TIMEOUT] 等待读模型追上位置 {position} 超时 (当前位置 {reached})")]
    Timeout { position: u64, reached: u64 },
    /// The runner has stopped (shut down or failed); no more events are applied.
    #[error("[RUNNER_STOPPED] 读模型运行器已停止")]
    Stopped,
    /// A failure injected to exercise the runner's supervision.
    #[error("[INJECTED] 注入的读模型运行器故障")]
    Injected,
    /// Writing an export failed.
    #[error("[EXPORT_IO] 导出写入失败: {0}")]
    Io(#[from] std::io::Error),
    /// A value could not be serialized for export.
    #[error("[EXPORT_ENCODE] 导出编码失败: {0}")]
    Encode(#[from] serde_json::Error),
    /// The caller named something that does not exist.
    #[error("[{code}] {message}")]
    NotFound { code: &'static str, message: String },
}

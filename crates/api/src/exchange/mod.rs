//! Exchange with the field's tools at the API: 任免审批表 (.lrmx) files and Excel 花名册 in through
//! the cadre commands, the record out as 审批表 and as Excel workbooks, as of a date.

mod lrmx;
pub mod roster;
pub mod xlsx;

pub use lrmx::{LrmxEntry, cadre_as_of, lrmx_as_of, lrmx_entry};

use sha2::{Digest, Sha256};

/// The cadre id a person is entered under: `p` and 16 hex digits of the SHA-256 of their ID
/// number. The same person gets the same id from every file and roster (a second entry is refused
/// as already registered), and the id does not show the ID number.
pub fn cadre_id_for(id_number: &str) -> String {
    let digest = Sha256::digest(id_number.trim().to_ascii_uppercase().as_bytes());
    format!("p{}", &hex::encode(digest)[..16])
}

/// SHA-256 (hex) of a file's bytes: command ids of what it enters derive from it.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One problem of one file: the file, the field (tag), the rule and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: 字段 {} [{}] {}",
            self.file, self.field, self.code, self.message
        )
    }
}

//! The GraphQL schema (no axum here) and `app(state) -> Router`, the HTTP surface of Dossier.

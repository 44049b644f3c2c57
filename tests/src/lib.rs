//! Cross-backend integration tests of weft: see the files beside this crate root.

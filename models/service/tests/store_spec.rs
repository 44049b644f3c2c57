//! `--store memory|file:DIR|s3:BUCKET` parsing, and its one-line refusals.

use std::path::PathBuf;

use weft_config_api::StoreSpec;

#[test]
fn the_three_kinds_parse_and_print_back() {
    let cases = [
        ("memory", StoreSpec::Memory),
        (
            "file:/var/lib/weft",
            StoreSpec::File(PathBuf::from("/var/lib/weft")),
        ),
        (
            "file:relative dir",
            StoreSpec::File(PathBuf::from("relative dir")),
        ),
        ("s3:weft-configs", StoreSpec::S3("weft-configs".to_owned())),
        ("s3:a.b-c", StoreSpec::S3("a.b-c".to_owned())),
        (
            "ignore-conditions:file:/tmp/d",
            StoreSpec::IgnoreConditions(Box::new(StoreSpec::File(PathBuf::from("/tmp/d")))),
        ),
        (
            "ignore-conditions:memory",
            StoreSpec::IgnoreConditions(Box::new(StoreSpec::Memory)),
        ),
    ];
    for (text, spec) in cases {
        assert_eq!(text.parse::<StoreSpec>(), Ok(spec.clone()), "{text}");
        assert_eq!(spec.to_string(), text);
    }
}

#[test]
fn anything_else_is_refused_in_one_line() {
    let cases = [
        ("", "unknown store kind"),
        ("Memory", "unknown store kind"),
        ("mem", "unknown store kind"),
        ("gcs:bucket", "unknown store kind"),
        ("file", "unknown store kind"),
        ("file:", "the directory is empty"),
        ("file:a\0b", "the directory holds a NUL"),
        ("s3:", "the bucket name is"),
        ("s3:ab", "the bucket name is"),
        ("s3:Upper", "the bucket name is"),
        ("s3:-dash", "the bucket name is"),
        ("s3:a/b", "the bucket name is"),
        ("ignore-conditions:", "unknown store kind"),
        ("ignore-conditions:file:", "the directory is empty"),
        (
            "ignore-conditions:ignore-conditions:memory",
            "ignore-conditions: is given twice",
        ),
    ];
    for (text, why) in cases {
        let err = text.parse::<StoreSpec>().expect_err(text).to_string();
        assert!(
            err.starts_with(&format!("invalid --store {text:?}: {why}")),
            "{err}"
        );
        assert!(
            err.ends_with("; expected memory, file:DIR or s3:BUCKET"),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err}");
    }
}

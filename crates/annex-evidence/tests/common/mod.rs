//! Fixture repositories built from real files in temporary directories.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

use annex_evidence::{Evidence, Options, collect};
use tempfile::TempDir;

/// A temporary repository holding `files` (relative path, content).
pub fn repo(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(dir.path(), files);
    dir
}

pub fn write_all(root: &Path, files: &[(&str, &[u8])]) {
    for (rel, content) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, content).expect("write");
    }
}

pub fn evidence(dir: &TempDir) -> Evidence {
    collect(dir.path(), &Options::default()).expect("collect")
}

pub fn json(e: &Evidence) -> serde_json::Value {
    serde_json::to_value(e).expect("serialise")
}

/// Token-shaped strings are assembled at run time so that this repository never contains
/// one in its source.
pub fn fake_github_token() -> String {
    format!("{}{}_{}", "g", "hp", "Ab1".repeat(12))
}

pub fn fake_aws_key() -> String {
    format!("{}{}", "AK", "IAQWERTYUIOPASDFGH")
}

pub fn fake_private_key_header() -> String {
    format!("-----{} {} {}-----", "BEGIN", "RSA PRIVATE", "KEY")
}

pub const MIT_TEXT: &str = "MIT License

Copyright (c) 2024 Example Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
";

pub const APACHE_HEAD: &str = "
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.
";

pub const ELF_HEAD: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";

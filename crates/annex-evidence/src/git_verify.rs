//! Verification of commit and tag signatures against keys the user gives
//! ([`crate::Signers`]): SSH signatures (sshsig, namespace `git`) against the keys of an
//! OpenSSH allowed_signers file, OpenPGP signatures against a keyring. Pure Rust (ssh-key,
//! pgp); no `git`, `ssh-keygen` or `gpg` process runs.
//!
//! What is checked: that the signature was made by one of the given keys over the exact
//! signed bytes (the object without its signature). Not checked: the allowed_signers
//! principals against the committer's e-mail, `valid-after`/`valid-before`, certificate
//! authorities (`cert-authority` lines are skipped), key expiry or revocation, and the trust
//! of OpenPGP subkey bindings beyond their binding signature.
//!
//! pgp pulls rsa 0.9, which has RUSTSEC-2023-0071 (Marvin: a timing side channel on RSA
//! decryption with a private key). Only public keys are used here, to verify, so it does not
//! apply.

use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};
use pgp::types::KeyDetails;

use crate::model::Verification;
use crate::options::Signers;

/// The sshsig namespace git signs with.
const GIT_NAMESPACE: &str = "git";

/// What a signature check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// No keys of the signature's kind were given (or the kind is not verifiable: x509).
    NotChecked,
    Valid,
    Invalid,
    UnknownKey,
}

impl Outcome {
    /// Add to the counts.
    pub(crate) fn count(self, v: &mut Verification) {
        match self {
            Outcome::NotChecked => return,
            Outcome::Valid => v.valid += 1,
            Outcome::Invalid => v.invalid += 1,
            Outcome::UnknownKey => v.unknown_key += 1,
        }
        v.checked += 1;
    }

    /// `true`/`false` when checked, `None` otherwise.
    pub(crate) fn as_bool(self) -> Option<bool> {
        match self {
            Outcome::NotChecked => None,
            Outcome::Valid => Some(true),
            Outcome::Invalid | Outcome::UnknownKey => Some(false),
        }
    }
}

/// The keys read from [`Signers`].
#[derive(Default)]
pub(crate) struct Verifier {
    /// `None` when no allowed_signers file was given (or it could not be read).
    ssh: Option<Vec<ssh_key::public::KeyData>>,
    /// `None` when no keyring was given (or it could not be read).
    pgp: Option<Vec<SignedPublicKey>>,
}

impl Verifier {
    /// Read the given files; problems are pushed to `reasons` and leave that kind unchecked.
    pub(crate) fn load(signers: &Signers, reasons: &mut Vec<String>) -> Verifier {
        let mut v = Verifier::default();
        if let Some(path) = &signers.allowed_signers {
            match annex_checkout::read_given(path, MAX_KEY_FILE)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
            {
                Ok(text) => {
                    let (keys, bad) = parse_allowed_signers(&text);
                    if bad > 0 {
                        reasons.push(format!(
                            "{}: {bad} line(s) could not be read as allowed signers",
                            path.display()
                        ));
                    }
                    v.ssh = Some(keys);
                }
                Err(e) => reasons.push(format!(
                    "cannot read the allowed signers file {}: {e}",
                    path.display()
                )),
            }
        }
        if let Some(path) = &signers.keyring {
            match read_keyring(path) {
                Ok(keys) => v.pgp = Some(keys),
                Err(e) => reasons.push(format!(
                    "cannot read the OpenPGP keyring {}: {e}",
                    path.display()
                )),
            }
        }
        v
    }

    /// Check `signature` (as found in the object) over `payload` (the object without it).
    pub(crate) fn verify(&self, signature: &[u8], payload: &[u8]) -> Outcome {
        use gix::objs::signature::Format;
        match Format::from_signature(signature) {
            Some(Format::Ssh) => match &self.ssh {
                Some(keys) => verify_ssh(keys, signature, payload),
                None => Outcome::NotChecked,
            },
            Some(Format::OpenPgp) => match &self.pgp {
                Some(keys) => verify_pgp(keys, signature, payload),
                None => Outcome::NotChecked,
            },
            Some(Format::X509) | None => Outcome::NotChecked,
        }
    }
}

fn verify_ssh(keys: &[ssh_key::public::KeyData], signature: &[u8], payload: &[u8]) -> Outcome {
    let Ok(sig) = ssh_key::SshSig::from_pem(signature) else {
        return Outcome::Invalid;
    };
    if !keys.iter().any(|k| k == sig.public_key()) {
        return Outcome::UnknownKey;
    }
    let key = ssh_key::PublicKey::new(sig.public_key().clone(), "");
    match key.verify(GIT_NAMESPACE, payload, &sig) {
        Ok(()) => Outcome::Valid,
        Err(_) => Outcome::Invalid,
    }
}

fn verify_pgp(keys: &[SignedPublicKey], signature: &[u8], payload: &[u8]) -> Outcome {
    let Ok((sig, _)) = DetachedSignature::from_reader_single(signature) else {
        return Outcome::Invalid;
    };
    let ids = sig.signature.issuer_key_id();
    let fps = sig.signature.issuer_fingerprint();
    let anonymous = ids.is_empty() && fps.is_empty();
    let matches = |k: &dyn KeyDetails| {
        anonymous
            || ids.iter().any(|id| **id == k.legacy_key_id())
            || fps.iter().any(|fp| **fp == k.fingerprint())
    };
    let mut matched = false;
    for key in keys {
        if matches(&key.primary_key) {
            matched = true;
            if sig.verify(&key.primary_key, payload).is_ok() {
                return Outcome::Valid;
            }
        }
        for sub in &key.public_subkeys {
            if !matches(&sub.key) || sub.verify_bindings(&key.primary_key).is_err() {
                continue;
            }
            matched = true;
            if sig.verify(&sub.key, payload).is_ok() {
                return Outcome::Valid;
            }
        }
    }
    // Without an issuer, a failure says nothing about the key: call it unknown.
    if matched && !anonymous {
        Outcome::Invalid
    } else {
        Outcome::UnknownKey
    }
}

/// The largest allowed_signers file or keyring read (a keyring of thousands of keys is a few
/// MB).
const MAX_KEY_FILE: u64 = 64 * 1024 * 1024;

fn read_keyring(path: &std::path::Path) -> Result<Vec<SignedPublicKey>, String> {
    let data = annex_checkout::read_given(path, MAX_KEY_FILE).map_err(|e| e.to_string())?;
    let (iter, _) =
        SignedPublicKey::from_reader_many(std::io::Cursor::new(data)).map_err(|e| e.to_string())?;
    let mut keys = Vec::new();
    for k in iter {
        keys.push(k.map_err(|e| e.to_string())?);
    }
    if keys.is_empty() {
        return Err("no public key in it".into());
    }
    Ok(keys)
}

/// Split a line into words, keeping double-quoted parts (`"a b",c`) inside their word.
fn words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_ascii_whitespace() && !quoted {
            if let Some(s) = start.take() {
                out.push(&line[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

fn is_key_type(word: &str) -> bool {
    [
        "ssh-",
        "ecdsa-sha2-",
        "sk-ssh-",
        "sk-ecdsa-sha2-",
        "rsa-sha2-",
    ]
    .iter()
    .any(|p| word.starts_with(p))
}

/// Whether allowed_signers options (`cert-authority,namespaces="git,file"`) allow a plain
/// key to sign in the `git` namespace.
fn options_allow_git(options: &str) -> bool {
    let mut rest = options;
    while !rest.is_empty() {
        // Split at the next comma outside quotes.
        let mut quoted = false;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let opt = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let lower = opt.to_ascii_lowercase();
        if lower == "cert-authority" {
            return false;
        }
        if let Some(value) = lower.strip_prefix("namespaces=") {
            let value = value.trim_matches('"');
            if !value.split(',').any(|n| n.trim() == GIT_NAMESPACE) {
                return false;
            }
        }
    }
    true
}

/// The keys of an allowed_signers file usable for `git` signatures, and the number of
/// lines that could not be read. Principals are not kept.
pub(crate) fn parse_allowed_signers(text: &str) -> (Vec<ssh_key::public::KeyData>, u64) {
    let mut keys = Vec::new();
    let mut bad = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let w = words(line);
        // principals [options] keytype base64 [comment]
        let Some(at) = (1..w.len().saturating_sub(1)).find(|&i| is_key_type(w[i])) else {
            bad += 1;
            continue;
        };
        if !w[1..at].iter().all(|o| options_allow_git(o)) {
            continue;
        }
        match ssh_key::PublicKey::from_openssh(&format!("{} {}", w[at], w[at + 1])) {
            Ok(k) => keys.push(k.key_data().clone()),
            Err(_) => bad += 1,
        }
    }
    (keys, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFbjZYQPDgndX+0JeOIVfnR9/pUbnX0H2EnGfjhz91ao";

    #[test]
    fn allowed_signers_lines() {
        let text = format!(
            "# comment\n\
             a@example.org {KEY} laptop\n\
             \"b@example.org,c@example.org\" namespaces=\"git,file\" {KEY}\n\
             d@example.org namespaces=\"file\" {KEY}\n\
             e@example.org cert-authority {KEY}\n\
             f@example.org valid-after=\"20240101\",namespaces=\"git\" {KEY}\n\
             garbage\n\
             g@example.org ssh-ed25519 notbase64\n"
        );
        let (keys, bad) = parse_allowed_signers(&text);
        assert_eq!(keys.len(), 3);
        assert_eq!(bad, 2);
    }

    #[test]
    fn outcome_counts() {
        let mut v = Verification::default();
        for o in [
            Outcome::Valid,
            Outcome::Invalid,
            Outcome::UnknownKey,
            Outcome::NotChecked,
            Outcome::Valid,
        ] {
            o.count(&mut v);
        }
        assert_eq!(
            v,
            Verification {
                checked: 4,
                valid: 2,
                invalid: 1,
                unknown_key: 1
            }
        );
        assert_eq!(Outcome::UnknownKey.as_bool(), Some(false));
        assert_eq!(Outcome::NotChecked.as_bool(), None);
    }
}

//! `update::download` against tiny HTTP servers on 127.0.0.1 run inside the tests: an
//! osv.dev-style zip, a single OSV record, a redirect, a 404, a body over the size budget
//! (announced or streamed), content that is no advisory, and a closed port. Each server serves
//! a fixed number of connections on loopback and stops by itself after a deadline.

use std::io::{Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use annex_core::db_update::{self as update, DownloadError, DownloadLimits, UpdateError};
use annex_vuln::db::{Db, IssueKind};
use zip::write::SimpleFileOptions;

const NPM: &str = r#"{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-0001"],
  "affected":[{"package":{"ecosystem":"npm","name":"left-pad"},
  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.3.0"}]}]}]}"#;
const PYPI: &str = r#"{"id":"PYSEC-2024-1","modified":"2024-02-01T00:00:00Z",
  "affected":[{"package":{"ecosystem":"PyPI","name":"requests"},
  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.32.0"}]}]}]}"#;

/// What one connection gets.
enum Reply {
    /// Status, extra headers, body; `Content-Length` is sent.
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// 200 without `Content-Length`: `total` bytes of `fill` (after `head`), then close.
    Stream {
        head: Vec<u8>,
        fill: u8,
        total: usize,
    },
    /// 200 announcing `declared` bytes and sending `body`.
    Announce { declared: u64, body: Vec<u8> },
    /// 200 announcing `declared` bytes, sending `head`, then nothing for `pause`.
    Stall {
        declared: u64,
        head: Vec<u8>,
        pause: Duration,
    },
}

struct Server {
    url: String,
    handle: JoinHandle<Vec<String>>,
}

impl Server {
    /// The request lines the server saw.
    fn requests(self) -> Vec<String> {
        self.handle.join().unwrap()
    }
}

/// Serves one reply per connection, in order, on 127.0.0.1; gives up after 20 seconds.
fn serve(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        let mut replies = replies.into_iter();
        let mut next = replies.next();
        while let Some(reply) = next.take() {
            if Instant::now() > deadline {
                break;
            }
            let stream = match listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10));
                    next = Some(reply);
                    continue;
                }
                Err(_) => break,
            };
            seen.push(handle_connection(stream, reply));
            next = replies.next();
        }
        seen
    });
    Server { url, handle }
}

fn handle_connection(mut s: TcpStream, reply: Reply) -> String {
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut req = Vec::new();
    let mut buf = [0u8; 1024];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 64 * 1024 {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&req)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    // Write errors are expected when the client stops reading.
    let _ = match reply {
        Reply::Full(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            s.write_all(head.as_bytes())
                .and_then(|_| s.write_all(&body))
        }
        Reply::Stream { head, fill, total } => {
            let r = s
                .write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                .and_then(|_| s.write_all(&head));
            let chunk = vec![fill; 16 * 1024];
            let mut sent = head.len();
            let mut r = r;
            while r.is_ok() && sent < total {
                let n = chunk.len().min(total - sent);
                r = s.write_all(&chunk[..n]);
                sent += n;
            }
            r
        }
        Reply::Announce { declared, body } => s
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .and_then(|_| s.write_all(&body)),
        Reply::Stall {
            declared,
            head,
            pause,
        } => {
            let r = s
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .and_then(|_| s.write_all(&head));
            std::thread::sleep(pause);
            r
        }
    };
    let _ = s.shutdown(std::net::Shutdown::Both);
    line
}

fn all_zip() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("GHSA-aaaa-bbbb-cccc.json", NPM),
        ("PYSEC-2024-1.json", PYPI),
        ("broken.json", "{ not json"),
    ] {
        w.start_file(name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn limits(max_bytes: u64) -> DownloadLimits {
    DownloadLimits {
        max_bytes,
        timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(10),
    }
}

fn leftovers(db: &Db) -> Vec<String> {
    std::fs::read_dir(db.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".download-"))
        .collect()
}

fn download_error(e: UpdateError) -> DownloadError {
    match e {
        UpdateError::Download { source, .. } => source,
        other => panic!("expected a download error, got {other}"),
    }
}

#[test]
fn downloads_and_imports_an_all_zip() {
    let server = serve(vec![Reply::Full(
        200,
        vec![("Content-Type", "application/zip".into())],
        all_zip(),
    )]);
    let url = format!("{}/ecosystems/all.zip", server.url);
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let summary = update::download(&url, &mut db, &limits(1 << 20)).unwrap();
    assert_eq!(summary.added, 2, "{summary:#?}");
    assert_eq!(summary.skipped, 1);
    let issue = summary
        .issues
        .iter()
        .find(|i| i.kind == IssueKind::Skipped)
        .unwrap();
    assert_eq!(issue.path, format!("{url}!broken.json"));
    assert_eq!(db.advisories_for("npm", "left-pad").unwrap().len(), 1);
    assert_eq!(db.advisories_for("PyPI", "requests").unwrap().len(), 1);
    let stats = db.stats().unwrap();
    assert_eq!(
        stats.imports.last().unwrap().sources,
        std::slice::from_ref(&url)
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    let requests = server.requests();
    assert_eq!(requests, ["GET /ecosystems/all.zip HTTP/1.1"]);

    // Reopened, the database has it; downloading again changes nothing.
    let mut db = Db::open(dir.path()).unwrap();
    let server = serve(vec![Reply::Full(200, vec![], all_zip())]);
    let s = update::download(
        &format!("{}/all.zip", server.url),
        &mut db,
        &limits(1 << 20),
    )
    .unwrap();
    assert_eq!((s.added, s.unchanged), (0, 2));
    server.requests();
}

#[test]
fn downloads_a_single_record_through_a_redirect() {
    let server = serve(vec![
        Reply::Full(
            302,
            vec![("Location", "/records/GHSA.json".into())],
            Vec::new(),
        ),
        Reply::Full(
            200,
            vec![("Content-Type", "application/json".into())],
            NPM.as_bytes().to_vec(),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let s = update::download(&format!("{}/latest", server.url), &mut db, &limits(1 << 20)).unwrap();
    assert_eq!(s.added, 1);
    assert_eq!(
        db.get("GHSA-aaaa-bbbb-cccc").unwrap().unwrap().aliases,
        ["CVE-2024-0001"]
    );
    assert_eq!(
        server.requests(),
        ["GET /latest HTTP/1.1", "GET /records/GHSA.json HTTP/1.1"]
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
}

#[test]
fn refuses_an_announced_body_over_the_limit() {
    let server = serve(vec![Reply::Announce {
        declared: 10 << 30,
        body: b"PK\x03\x04".to_vec(),
    }]);
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let e = update::download(
        &format!("{}/all.zip", server.url),
        &mut db,
        &limits(1 << 20),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("/all.zip: refused: the server announces 10737418240 bytes, over the 1048576-byte download limit"), "{msg}");
    assert!(
        matches!(download_error(e), DownloadError::TooLargeDeclared { declared, limit: 1048576 } if declared == 10 << 30)
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    assert!(db.stats().unwrap().imports.is_empty());
    server.requests();
}

#[test]
fn refuses_a_streamed_body_over_the_limit() {
    let server = serve(vec![Reply::Stream {
        head: b"PK\x03\x04".to_vec(),
        fill: b'x',
        total: 3 << 20,
    }]);
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let e = update::download(
        &format!("{}/all.zip", server.url),
        &mut db,
        &limits(1 << 20),
    )
    .unwrap_err();
    assert!(matches!(
        download_error(e),
        DownloadError::TooLarge { limit: 1048576 }
    ));
    assert_eq!(leftovers(&db), Vec::<String>::new());
    server.requests();
    // A body within the limit without Content-Length is fine.
    let zip = all_zip();
    let server = serve(vec![Reply::Stream {
        total: zip.len(),
        head: zip,
        fill: 0,
    }]);
    let s = update::download(
        &format!("{}/all.zip", server.url),
        &mut db,
        &limits(1 << 20),
    )
    .unwrap();
    assert_eq!(s.added, 2);
    server.requests();
}

#[test]
fn http_errors_and_bad_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let server = serve(vec![
        Reply::Full(404, vec![], b"not found".to_vec()),
        Reply::Full(
            200,
            vec![("Content-Type", "text/html".into())],
            b"<html>hello</html>".to_vec(),
        ),
        Reply::Full(200, vec![], Vec::new()),
    ]);
    let get = |db: &mut Db, path: &str| {
        update::download(&format!("{}{path}", server.url), db, &limits(1 << 20)).unwrap_err()
    };
    let e = get(&mut db, "/missing.zip");
    assert!(
        e.to_string()
            .ends_with("/missing.zip: the server answered HTTP 404"),
        "{e}"
    );
    assert!(matches!(
        download_error(e),
        DownloadError::Status { status: 404 }
    ));
    let e = download_error(get(&mut db, "/page"));
    assert!(
        matches!(&e, DownloadError::UnknownContent { start } if start.starts_with("<html>")),
        "{e}"
    );
    assert!(matches!(
        download_error(get(&mut db, "/empty")),
        DownloadError::Empty
    ));
    assert_eq!(server.requests().len(), 3);
    assert_eq!(leftovers(&db), Vec::<String>::new());

    let e = update::download("ftp://127.0.0.1/all.zip", &mut db, &limits(1 << 20)).unwrap_err();
    assert!(matches!(download_error(e), DownloadError::UnsupportedUrl));

    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = update::download(
        &format!("http://127.0.0.1:{port}/all.zip"),
        &mut db,
        &limits(1 << 20),
    )
    .unwrap_err();
    assert!(matches!(download_error(e), DownloadError::Http(_)));
    assert!(db.stats().unwrap().imports.is_empty());
}

#[test]
fn a_stalled_server_fails_after_the_idle_timeout() {
    let server = serve(vec![Reply::Stall {
        declared: 1 << 20,
        head: b"PK\x03\x04".to_vec(),
        pause: Duration::from_secs(4),
    }]);
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    let limits = DownloadLimits {
        idle_timeout: Duration::from_secs(1),
        ..limits(1 << 20)
    };
    let started = Instant::now();
    let e = update::download(&format!("{}/all.zip", server.url), &mut db, &limits).unwrap_err();
    assert!(
        matches!(download_error(e), DownloadError::Stalled { .. }),
        "not a stall"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(leftovers(&db), Vec::<String>::new());
    server.requests();
}

#[test]
fn leftovers_of_a_killed_update_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dir.path()).unwrap();
    // What a kill -9 during a download leaves behind.
    std::fs::write(
        dir.path().join(".download-4242-0.part"),
        b"PK\x03\x04partial",
    )
    .unwrap();
    let server = serve(vec![Reply::Full(200, vec![], NPM.as_bytes().to_vec())]);
    update::download(&format!("{}/a.json", server.url), &mut db, &limits(1 << 20)).unwrap();
    assert_eq!(leftovers(&db), Vec::<String>::new());
    server.requests();
}

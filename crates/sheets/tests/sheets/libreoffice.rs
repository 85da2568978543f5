//! The task breakdown table opens in LibreOffice: both files are converted
//! to PDF by a real headless LibreOffice, and (where poppler's pdftotext is
//! installed) the PDF shows the Chinese header.
//!
//! Outside CI a missing LibreOffice is reported and the test returns; with
//! `CI` set it fails. `QINGFENG_KEEP_PDF_DIR=DIR` keeps the PDFs there for a
//! look.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qingfeng_sheets::{write_task_table_docx, write_task_table_xlsx};

use crate::tasks::sample;

/// One conversion, first start of a fresh profile included; a slow CI
/// machine takes well under a minute.
const TIMEOUT: Duration = Duration::from_secs(240);

/// `name` on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Runs `cmd` in its own process group, killing the group after `TIMEOUT`;
/// the exit status and what it printed.
fn run(mut cmd: Command, log: &Path) -> (std::process::ExitStatus, String) {
    use std::os::unix::process::CommandExt;
    let out = std::fs::File::create(log).unwrap();
    let err = out.try_clone().unwrap();
    cmd.stdin(Stdio::null()).stdout(out).stderr(err).process_group(0);
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = Command::new("kill").arg("-KILL").arg(format!("-{}", child.id())).status();
            let _ = child.wait();
            panic!("{cmd:?} did not finish in {TIMEOUT:?}: {}", std::fs::read_to_string(log).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (status, std::fs::read_to_string(log).unwrap_or_default())
}

#[test]
fn task_table_xlsx_and_docx_open_in_libreoffice() {
    let Some(office) = on_path("libreoffice").or_else(|| on_path("soffice")) else {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty());
        assert!(
            !ci,
            "LibreOffice (libreoffice or soffice) is not installed, and CI is set: install libreoffice-writer and libreoffice-calc"
        );
        eprintln!("note: LibreOffice is not installed; the task table was not opened in it");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let out = dir.path().join("pdf");
    let t = sample();
    let files = [
        ("task-table-xlsx.xlsx", write_task_table_xlsx(&t).unwrap()),
        ("task-table-docx.docx", write_task_table_docx(&t).unwrap()),
    ];
    for (name, bytes) in files {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let mut cmd = Command::new(&office);
        cmd.arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&out)
            .arg(&file);
        let started = Instant::now();
        let (status, printed) = run(cmd, &dir.path().join("office.log"));
        let took = started.elapsed();
        assert!(status.success(), "{} exited with {status}: {printed}", office.display());
        let pdf = out.join(Path::new(name).with_extension("pdf"));
        let bytes =
            std::fs::read(&pdf).unwrap_or_else(|e| panic!("no {}: {e}; LibreOffice printed: {printed}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 1000, "{} is not a PDF: {printed}", pdf.display());
        println!("{name}: converted by {} in {:.1} s, PDF {} bytes", office.display(), took.as_secs_f64(), bytes.len());

        if let Some(pdftotext) = on_path("pdftotext") {
            let text = Command::new(pdftotext).arg(&pdf).arg("-").output().unwrap();
            assert!(text.status.success(), "pdftotext failed on {}", pdf.display());
            let text = String::from_utf8_lossy(&text.stdout);
            for word in ["任务内容", "牵头单位", "市纪委监委"] {
                assert!(text.contains(word), "{name}: the PDF does not show {word}:\n{text}");
            }
        } else {
            eprintln!("note: pdftotext is not installed; the PDF's text was not checked");
        }
        if let Some(keep) = std::env::var_os("QINGFENG_KEEP_PDF_DIR") {
            std::fs::create_dir_all(&keep).unwrap();
            std::fs::copy(&pdf, Path::new(&keep).join(pdf.file_name().unwrap())).unwrap();
        }
    }
}

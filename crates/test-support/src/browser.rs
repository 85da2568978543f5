//! Real headless Chromium (Debian `chromium` + `chromium-driver`) driven
//! over WebDriver. Under `CI` a missing browser fails the test; elsewhere
//! the journey is skipped with a note.

use fantoccini::{Client, ClientBuilder};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates.iter().find(|p| std::path::Path::new(p).exists()).map(|p| p.to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a `width`×`height`
    /// window. `None` (with a note) when they are not installed outside CI.
    pub async fn launch(width: u32, height: u32) -> Option<Browser> {
        let driver_bin = std::env::var("CHROMEDRIVER")
            .ok()
            .or_else(|| find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]));
        let chrome_bin =
            std::env::var("CHROMIUM").ok().or_else(|| find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]));
        let (Some(driver_bin), Some(chrome_bin)) = (driver_bin, chrome_bin) else {
            if in_ci() {
                panic!(
                    "CI is set but chromium/chromedriver are not installed (apt-get install chromium chromium-driver)"
                );
            }
            eprintln!("note: chromium or chromedriver not installed; browser journey skipped (it runs in CI)");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port");
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_bin}: {e}"));
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome_bin,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--lang=zh-CN", format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.path().display()),
                ],
            }
        });
        // Headless Chromium will not make a window narrower than 500 px, so a
        // phone-sized viewport is emulated (device metrics, touch) instead.
        let mut caps = caps;
        if width < 500 {
            caps["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true, "mobile": true }
            });
        }
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        // The WebDriver client links rustls; pick its provider explicitly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = format!("http://127.0.0.1:{port}");
        let mut last_err = String::new();
        for _ in 0..50 {
            match ClientBuilder::rustls().expect("tls").capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Some(Browser { client, driver, _profile: profile }),
                Err(e) => {
                    last_err = e.to_string();
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("chromedriver did not accept a session: {last_err}");
    }

    /// Saves a PNG screenshot under `target/screenshots/` (for looking at pages).
    pub async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }
}

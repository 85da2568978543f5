//! Global settings: database, data directory, audit hash, logging.

use anyhow::{Context, Result, bail};
use clap::Args;
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::rules::Rules;
use qingfeng_store::{Engine, Settings, Store, redact_url};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct Global {
    /// Database URL: `sqlite://FILE` or `postgres://USER:PASSWORD@HOST/DB`.
    /// Default: a SQLite file in the data directory.
    #[arg(long, env = "QINGFENG_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory for the default SQLite database.
    #[arg(long, env = "QINGFENG_DATA_DIR", global = true, default_value = "qingfeng-data")]
    pub data_dir: PathBuf,
    /// Hash function of new audit events: `sm3` (GB/T 32905) or `sha256`.
    #[arg(long, env = "QINGFENG_AUDIT_HASH", global = true, default_value = "sm3")]
    pub audit_hash: String,
    /// Log format: `text` or `json`.
    #[arg(long, env = "QINGFENG_LOG_FORMAT", global = true, default_value = "text")]
    pub log_format: String,
    /// Log filter, e.g. `info` or `qingfeng_web=debug,info`.
    #[arg(long, env = "QINGFENG_LOG", global = true, default_value = "info,sqlx=warn")]
    pub log: String,
    /// Rules file (TOML) overriding the defaults of configurable rules;
    /// `qingfeng rules` prints the effective ones.
    #[arg(long, env = "QINGFENG_RULES", global = true)]
    pub rules: Option<PathBuf>,
    /// Largest number of database connections.
    #[arg(long, env = "QINGFENG_DB_MAX_CONNECTIONS", global = true, default_value_t = 16)]
    pub db_max_connections: u32,
}

impl Global {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) if !u.trim().is_empty() => u.trim().to_string(),
            _ => format!("sqlite://{}", self.data_dir.join("qingfeng.db").display()),
        }
    }

    /// The rules file's contents over the defaults (the defaults without one).
    pub fn rules(&self) -> Result<Rules> {
        let Some(path) = &self.rules else { return Ok(Rules::default()) };
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the rules file {}", path.display()))?;
        Rules::from_toml(&text).with_context(|| format!("rules file {}", path.display()))
    }

    pub fn redacted_url(&self) -> String {
        redact_url(&self.database_url())
    }

    fn settings(&self) -> Result<Settings> {
        let Some(hash_algo) = HashAlgo::parse(&self.audit_hash) else {
            bail!("--audit-hash must be sm3 or sha256 (got `{}`)", self.audit_hash);
        };
        Ok(Settings { max_connections: self.db_max_connections, hash_algo })
    }

    fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.database_url();
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }

    /// Opens the database (creating the SQLite file and its directory if
    /// needed) and runs migrations.
    pub async fn open(&self) -> Result<Store> {
        let url = self.database_url();
        Engine::from_url(&url)?;
        if let Some(file) = self.sqlite_file()
            && let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Store::open(&url, self.settings()?)
            .await
            .with_context(|| format!("cannot open the database at {}", self.redacted_url()))
    }

    /// Opens the database only if it exists already (a SQLite file that
    /// is not there yet is not created).
    pub async fn open_existing(&self) -> Result<Option<Store>> {
        if let Some(file) = self.sqlite_file()
            && !file.exists()
        {
            return Ok(None);
        }
        self.open().await.map(Some)
    }
}

pub fn init_logging(g: &Global) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(&g.log).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if g.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Settings of the public (no-login) pages: 开门整改 and later the 12388 intake.
#[derive(Args, Debug)]
pub struct PublicArgs {
    /// Secret from which the key of public forms' one-time receipts is
    /// derived. Every process serving the same site needs the same one;
    /// without it each start makes a random key (receipts handed out
    /// before a restart then no longer work).
    #[arg(long, env = "QINGFENG_FORM_SECRET", hide_env_values = true)]
    pub form_secret: Option<String>,
    /// Views of public pages per client address, e.g. `120/m`.
    #[arg(long, env = "QINGFENG_PUBLIC_PAGE_LIMIT", default_value = "120/m")]
    pub public_page_limit: qingfeng_web::throttle::Limit,
    /// Public ratings (群众评议) per client address, e.g. `20/h`.
    #[arg(long, env = "QINGFENG_PUBLIC_RATING_LIMIT", default_value = "20/h")]
    pub public_rating_limit: qingfeng_web::throttle::Limit,
    /// Behind a reverse proxy: the header that names the client's address
    /// (e.g. `X-Forwarded-For`, whose last entry is taken). Leave unset
    /// when clients connect directly, or anyone could pick their address.
    #[arg(long, env = "QINGFENG_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// The 信访举报 office's SM4 key file (32 hex digits; id = file stem).
    /// Real-name identities are sealed under it; it never goes into the
    /// database. Without one, real-name reports are refused (anonymous ones
    /// are taken); `serve --demo` makes one in the data directory.
    #[arg(long, env = "QINGFENG_SEAL_KEY_FILE")]
    pub seal_key_file: Option<PathBuf>,
    /// Deployment-wide salt of receipt-code hashes (at least 16 characters;
    /// every process of the site needs the same). Without it a salt is made
    /// at start (codes handed out before a restart then no longer work);
    /// `serve --demo` keeps one in the data directory.
    #[arg(long, env = "QINGFENG_RECEIPT_SALT", hide_env_values = true)]
    pub receipt_salt: Option<String>,
}

impl PublicArgs {
    /// Fills the web settings these arguments govern.
    pub fn apply(&self, mut c: qingfeng_web::WebConfig) -> Result<qingfeng_web::WebConfig> {
        match self.form_secret.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() < 16 => bail!("--form-secret must be at least 16 characters"),
            Some(s) => c.form_key = qingfeng_web::receipt::FormKey::from_secret(s),
            None => tracing::info!(
                "no QINGFENG_FORM_SECRET: public form receipts use a key made at start (set one when several processes serve this site)"
            ),
        }
        c.public_limits = qingfeng_web::throttle::PublicLimits {
            pages: self.public_page_limit,
            ratings: self.public_rating_limit,
            ..Default::default()
        };
        c.client_ip_header = self.client_ip_header.clone().filter(|h| !h.trim().is_empty());
        if let Some(path) = &self.seal_key_file {
            let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("office");
            let key = qingfeng_seal::SealKey::from_file(id, path).map_err(|e| anyhow::anyhow!("--seal-key-file: {e}"))?;
            c.seal = Some(std::sync::Arc::new(qingfeng_seal::Keyring::new(key)));
        }
        match self.receipt_salt.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() < 16 => bail!("--receipt-salt must be at least 16 characters"),
            Some(s) => {
                let h = qingfeng_seal::ReceiptHasher::new(s.as_bytes()).map_err(|e| anyhow::anyhow!("--receipt-salt: {e}"))?;
                c.receipts = std::sync::Arc::new(h);
            }
            None => tracing::info!("no QINGFENG_RECEIPT_SALT: receipt codes are hashed with a salt made at start"),
        }
        Ok(c)
    }
}

//! UI text in zh-CN (default) and English, from `locales/*.toml`.

use qingfeng_domain::{Lang, Msg};
use std::borrow::Cow;

/// The translator templates use: `{{ l.t.s("nav.home") }}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T(pub Lang);

impl T {
    pub fn s(&self, key: impl AsRef<str>) -> Cow<'static, str> {
        Cow::Owned(rust_i18n::t!(key.as_ref(), locale = self.0.code()).into_owned())
    }

    /// A bilingual domain message in this language.
    pub fn m(&self, msg: impl std::borrow::Borrow<Msg>) -> String {
        msg.borrow().get(self.0).to_string()
    }

    /// Every value of a coded set as `(code, label)`, for a `<select>`.
    pub fn choices<E: qingfeng_domain::msg::Coded>(&self) -> Vec<(&'static str, String)> {
        E::all().iter().map(|e| (e.code(), self.m(e.text()))).collect()
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    pub fn is_en(&self) -> bool {
        self.0 == Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(file: &str) -> BTreeSet<String> {
        let v: toml::Table = toml::from_str(file).unwrap();
        fn walk(prefix: &str, t: &toml::Table, out: &mut BTreeSet<String>) {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                match v {
                    toml::Value::Table(sub) => walk(&key, sub, out),
                    _ => {
                        out.insert(key);
                    }
                }
            }
        }
        let mut out = BTreeSet::new();
        walk("", &v, &mut out);
        out
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh = keys(include_str!("../locales/zh-CN.toml"));
        let en = keys(include_str!("../locales/en.toml"));
        assert_eq!(zh.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in en");
        assert_eq!(en.difference(&zh).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in zh-CN");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let zh = keys(include_str!("../locales/zh-CN.toml"));
        let mut missing = Vec::new();
        let dirs = [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src")];
        let mut stack: Vec<std::path::PathBuf> = dirs.iter().map(Into::into).collect();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices(".s(\"") {
                let rest = &text[i + 4..];
                let key = &rest[..rest.find('"').unwrap()];
                if !key.contains('{') && !zh.contains(key) {
                    missing.push(format!("{}: {key}", p.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from locales: {missing:#?}");
    }

    #[test]
    fn english_is_english() {
        assert_eq!(T(Lang::En).s("nav.home"), "My tasks");
        assert_eq!(T(Lang::Zh).s("nav.home"), "我的待办");
    }
}

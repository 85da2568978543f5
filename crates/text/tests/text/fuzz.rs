//! The fuzz target: a hand-rolled generator mixing heading markers,
//! enumerators, cue sentences, CJK text, junk lines, invalid UTF-8, BOMs,
//! other files' magic numbers, docx archives with broken XML and huge lines.
//! Every input must give an outline or a clear error — never a panic — and
//! the outline must serialise and render.
//!
//! The normal suite runs 10 000 inputs; the million is
//! `cargo test -p qingfeng-text --release --test text -- --ignored --nocapture fuzz_one_million`
//! (`QINGFENG_FUZZ_CASES` and `QINGFENG_FUZZ_SEED` change count and seed).

use qingfeng_text::{Outline, outline_bytes, parse_outline, render::render_tree};
use std::io::Write;
use std::time::Instant;

/// splitmix64: small, deterministic, good enough to pick pieces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }
}

const HEADINGS: &[&str] = &[
    "一、",
    "二、",
    "三、",
    "十一、",
    "九十九、",
    "第一，",
    "第二，",
    "第三是",
    "第十，",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2.",
    "3、",
    "12．",
    "999.",
    "（1）",
    "(2)",
    "①",
    "②",
    "③",
    "⑳",
    "一．",
    "（十）",
];
const ENUMS: &[&str] = &[
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "十是",
    "一要",
    "二要",
    "三要",
    "一是要",
    "二是要",
    "首先，",
    "其次，",
    "再次，",
    "最后，",
    "第一个是",
    "第二个是",
    "第三个是",
    "唯一是",
    "之一是",
    "一是一，二是二",
    "第一时间",
    "1.5亿",
    "统一要求",
    "最后一公里",
    "一方面",
    "另一方面",
    "①",
    "②",
];
const CUES: &[&str] = &[
    "主要存在以下问题。",
    "主要表现在：",
    "我讲几点意见。",
    "取得了较好成绩，具体表现在6个方面。",
    "以上这些问题，",
    "为此，我们要",
    "同志们，",
    "下面，",
    "原因主要有：",
    "对这些问题，我们必须认真解决。",
    "谢谢大家！",
    "在全市工作会议上的讲话",
    "同志们：",
];
const TEXT: &[&str] = &[
    "加强学习",
    "作风建设",
    "不深入",
    "搞应付",
    "宽松软",
    "落实主体责任",
    "党风廉政",
    "的",
    "，",
    "。",
    "；",
    "：",
    "“",
    "”",
    "、",
    "！",
    "？",
    "要",
    "是",
    "一",
    "二",
    "十",
    "第",
    "个",
    "（",
    "）",
    "(",
    ")",
    ".",
    ",",
    ":",
    ";",
    " ",
    "\u{3000}",
    "𠀀",
    "🙂",
    "\u{FFFD}",
    "a",
    "9",
    "０",
    "x",
    "é",
    "\u{0301}",
    "\u{200b}",
    "\u{feff}",
    "\u{202e}",
];
const JUNK: &[&str] = &[
    "会员群：   免费QQ群：",
    "爱国 分享 时间:",
    "以下是网友为大家整理分享的讲话,供您学习参考!",
    "47 4888024",
    "\");",
    "http://example.com",
    "第3页 共5页",
    "仅供学习 禁止外传",
    "现在订阅立享权益",
];
const BREAKS: &[&str] = &["\n", "\r\n", "\r", "\n\n", "\u{2028}", "\u{2029}", "\u{0b}", "\u{0c}", "\t"];
/// Invalid or foreign bytes mixed into the text.
const RAW: &[&[u8]] = &[
    &[0xFF],
    &[0xFE],
    &[0x80],
    &[0xE4, 0xB8],
    &[0xC0, 0xAF],
    &[0xED, 0xA0, 0x80],
    &[0xB2, 0xE2],
    &[0xD2, 0xBB, 0xCA, 0xC7],
    &[0xEF, 0xBB, 0xBF],
    &[0x1B, b'['],
    &[0x7F],
];
/// Starts of other files (and BOMs) put in front of some inputs.
const PREFIXES: &[&[u8]] =
    &[b"PK\x03\x04", b"%PDF-1.7", &[0xD0, 0xCF, 0x11, 0xE0], &[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF], &[0]];
const EXTS: &[&str] = &["", "txt", "TXT", "md", "", "txt", "docx", "pdf", "doc"];

fn piece(r: &mut Rng, out: &mut Vec<u8>) {
    let s = match r.below(100) {
        0..=14 => r.pick(HEADINGS),
        15..=34 => r.pick(ENUMS),
        35..=44 => r.pick(CUES),
        45..=74 => r.pick(TEXT),
        75..=79 => r.pick(JUNK),
        80..=92 => r.pick(BREAKS),
        _ => {
            out.extend_from_slice(RAW.get(r.below(RAW.len())).copied().unwrap_or(&[]));
            return;
        }
    };
    out.extend_from_slice(s.as_bytes());
}

/// One generated input: bytes and the extension it is given.
fn input(r: &mut Rng) -> (Vec<u8>, Option<&'static str>) {
    let mut out = Vec::new();
    if r.below(20) == 0 {
        out.extend_from_slice(PREFIXES.get(r.below(PREFIXES.len())).copied().unwrap_or(&[]));
    }
    if r.below(4) == 0 {
        // A speech-shaped skeleton: lines of marker + text.
        for _ in 0..r.below(40) {
            let m = if r.below(2) == 0 { r.pick(HEADINGS) } else { r.pick(ENUMS) };
            out.extend_from_slice(m.as_bytes());
            for _ in 0..r.below(30) {
                piece(r, &mut out);
            }
            out.push(b'\n');
        }
    } else {
        for _ in 0..r.below(120) {
            piece(r, &mut out);
        }
    }
    if r.below(2000) == 0 {
        // A huge line: one piece repeated, no line break.
        let p = r.pick(&[HEADINGS, ENUMS, TEXT].concat());
        let n = 20_000 + r.below(60_000);
        out.extend_from_slice(p.repeat(n).as_bytes());
    }
    if r.below(50) == 0 {
        return (docx_of(r, &out), Some("docx"));
    }
    if r.below(100) == 0 {
        out.push(0); // a NUL: the file looks binary
    }
    let ext = if r.below(10) == 0 { r.pick(EXTS) } else { r.pick(EXTS.get(..6).unwrap_or(EXTS)) };
    (out, if ext.is_empty() { None } else { Some(ext) })
}

/// A zip with a word/document.xml made of the text, sometimes mangled.
fn docx_of(r: &mut Rng, text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut xml = String::from("<w:document xmlns:w=\"w\"><w:body>");
    for line in text.split('\n') {
        let esc = line.replace('&', "&amp;").replace('<', "&lt;");
        xml.push_str(&format!("<w:p><w:r><w:t>{esc}</w:t></w:r></w:p>"));
    }
    xml.push_str("</w:body></w:document>");
    if r.below(3) == 0 {
        let cut = r.below(xml.len());
        xml = xml.chars().take(cut).collect();
        xml.push_str("<w:t>&bogus;&#xFFFFFF;</w:p>");
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let name = if r.below(10) == 0 { "word/other.xml" } else { "word/document.xml" };
        if zip.start_file(name, opts).is_ok() {
            let _ = zip.write_all(xml.as_bytes());
        }
        let _ = zip.finish();
    }
    let mut bytes = buf.into_inner();
    if r.below(5) == 0 && !bytes.is_empty() {
        let at = r.below(bytes.len());
        if let Some(b) = bytes.get_mut(at) {
            *b ^= 0x5A;
        }
    }
    bytes
}

fn check(o: &Outline) {
    serde_json::to_string(o).expect("outline serialises");
    let _ = render_tree(o, true);
    assert!(o.walk().iter().all(|(depth, _)| *depth < 32), "the tree stays shallow");
}

/// Run `n` generated inputs from `seed`; returns how many gave an error.
pub fn run(n: u64, seed: u64) -> u64 {
    let mut r = Rng(seed);
    let mut errors = 0;
    for _ in 0..n {
        let (bytes, ext) = input(&mut r);
        match outline_bytes(&bytes, ext) {
            Ok(o) => check(&o),
            Err(e) => {
                assert!(!e.to_string().is_empty());
                errors += 1;
            }
        }
        // The text parser on its own, whatever the sniffing said.
        check(&parse_outline(&String::from_utf8_lossy(&bytes)));
    }
    errors
}

#[test]
fn fuzz_ten_thousand_inputs_never_panic() {
    let errors = run(10_000, 0x5157_4946_4E47);
    assert!(errors > 0, "the generator also makes unreadable inputs");
}

#[test]
#[ignore = "a million inputs: run in release, see the module docs"]
fn fuzz_one_million_inputs_never_panic() {
    let n = std::env::var("QINGFENG_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let seed = std::env::var("QINGFENG_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_260_101);
    let t = Instant::now();
    let errors = run(n, seed);
    println!("fuzz: {n} inputs (seed {seed}), {errors} clear errors, no panic, {:.1?}", t.elapsed());
}

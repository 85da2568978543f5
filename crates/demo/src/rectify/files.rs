//! Evidence for the demo: notes worded after what a measure did, and small
//! but valid PDF and PNG files to go with some of them.

use jiff::civil::Date;
use rand::Rng;

/// How a unit writes its papers: the prefix of its document numbers (none
/// for a village) and the name of its decision meeting.
pub struct Style {
    pub doc: Option<&'static str>,
    pub meeting: &'static str,
}

pub fn style(unit: &str) -> Style {
    let (doc, meeting) = match unit {
        "eco" => (Some("安环党组"), "党组会"),
        "police" => (Some("安公党"), "党委会"),
        "fenglin" => (Some("丰委"), "县委常委会"),
        "chengguan" | "chengguan_office" | "dongjie" => (Some("城党"), "党委会"),
        "hekou" | "hekou_office" => (Some("河党"), "党委会"),
        "shuanghe" | "shuanghe_office" => (Some("双党"), "党委会"),
        "qingshan" | "qingshan_office" | "qingshan_c" => (Some("青党"), "党委会"),
        u if u.starts_with("eco_") => (Some("安环机党"), "支部委员会"),
        u if u.starts_with("police_") => (Some("安公机党"), "支部委员会"),
        _ => (None, "村“两委”会议"),
    };
    Style { doc, meeting }
}

/// `2026年6月3日`.
pub fn cn(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn any(title: &str, words: &[&str]) -> bool {
    words.iter().any(|w| title.contains(w))
}

/// The document named in a title: `修订《X》` → `X`.
fn document(title: &str) -> Option<&str> {
    let start = title.find('《')? + '《'.len_utf8();
    let end = title[start..].find('》')? + start;
    Some(&title[start..end])
}

const MEETINGS: &[&str] = &["研讨", "专题研究", "研究部署"];
const TRAINING: &[&str] = &["培训", "轮训", "警示教育"];
const REFUNDS: &[&str] = &["清退", "追回"];
const SANCTIONS: &[&str] = &["作出处理", "追究"];
const DISCLOSURE: &[&str] = &["公开", "公示", "公布"];
const PLANS: &[&str] = &["方案", "计划", "清单"];
const WORKS: &[&str] = &[
    "安装", "修复", "补设", "拆除", "回填", "复绿", "绿化", "清理", "苫盖", "改造", "清淤", "淘汰", "恢复", "管网",
    "设施",
];
const CHECKS: &[&str] =
    &["排查", "清查", "审核", "评查", "督查", "复查", "核查", "倒查", "摸底", "普查", "溯源", "检查"];
const ROLLOUTS: &[&str] = &["推行", "推广", "启用", "实行", "聘用", "落实"];
const SYSTEMS: &[&str] = &["制度", "机制", "台账", "体系", "责任"];

/// What kind of work a measure title describes (first match wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    LifeMeeting,
    Training,
    Meeting,
    Refund,
    Sanction,
    Campaign,
    Enforcement,
    Monitoring,
    Disclosure,
    Plan,
    Works,
    Check,
    Rollout,
    System,
    Other,
}

fn kind(title: &str) -> Kind {
    if document(title).is_some() && any(title, &["修订", "制定"]) {
        return Kind::Document;
    }
    if title.starts_with("建立") || title.ends_with("制度") {
        return Kind::System;
    }
    if title.starts_with("调整") {
        return Kind::Plan;
    }
    let rules: [(&[&str], Kind); 15] = [
        (&["民主生活会"], Kind::LifeMeeting),
        (TRAINING, Kind::Training),
        (MEETINGS, Kind::Meeting),
        (REFUNDS, Kind::Refund),
        (SANCTIONS, Kind::Sanction),
        (&["专项整治"], Kind::Campaign),
        (&["立案查处", "联合执法", "联合惩戒"], Kind::Enforcement),
        (&["监测"], Kind::Monitoring),
        (&["归档", "清理规范"], Kind::Other),
        (DISCLOSURE, Kind::Disclosure),
        (PLANS, Kind::Plan),
        (WORKS, Kind::Works),
        (CHECKS, Kind::Check),
        (ROLLOUTS, Kind::Rollout),
        (SYSTEMS, Kind::System),
    ];
    rules.iter().find(|(words, _)| any(title, words)).map_or(Kind::Other, |r| r.1)
}

/// A 说明 for a measure done on `on`.
pub fn note(title: &str, unit: &str, on: Date, rng: &mut impl Rng) -> String {
    let s = style(unit);
    let day = cn(on);
    match kind(title) {
        Kind::Document => match (document(title), s.doc) {
            (Some(doc), Some(prefix)) => {
                format!("已印发《{doc}》（{prefix}〔2026〕{}号），自{day}起施行。", rng.random_range(3..=48))
            }
            (doc, _) => format!("《{}》已经村民代表会议审议通过，{day}张榜公示，无异议。", doc.unwrap_or(title)),
        },
        Kind::LifeMeeting => {
            format!("{day}召开专题民主生活会，班子成员逐一对照检查、开展批评和自我批评，会议情况已按规定报送。")
        }
        Kind::Training => {
            format!("{day}组织开展，参加{}人，课件、签到表和现场照片已归档。", rng.random_range(18..=160))
        }
        Kind::Meeting => format!("{day}召开{}专题研究，班子成员逐一发言，形成会议纪要。", s.meeting),
        Kind::Refund => format!("相关款项已于{day}全额退缴，缴款凭证和当事人书面说明已存档。"),
        Kind::Sanction => format!("已依规依纪作出处理，处理决定于{day}送达本人并存入个人档案。"),
        Kind::Campaign => {
            format!("专项整治已完成，共发现问题{}个，均已整改到位，工作总结已存档。", rng.random_range(4..=21))
        }
        Kind::Enforcement => format!(
            "已完成，累计出动执法人员{}人次，依法立案查处{}起，执法文书已归档。",
            rng.random_range(24..=90),
            rng.random_range(2..=9)
        ),
        Kind::Monitoring => format!("已委托有资质的第三方机构于{day}完成监测，监测报告显示各项指标达标。"),
        Kind::Disclosure => format!("{day}已在公开栏和线上平台同步公开，公开现场照片已存档。"),
        Kind::Plan => format!("已经{}审议通过，{day}印发实施。", s.meeting),
        Kind::Works => format!("已完成，{day}组织现场验收，整改前后对比照片和验收记录已存档。"),
        Kind::Check => {
            let n = rng.random_range(2..=9);
            format!("已完成，形成专项检查报告，发现的{n}个具体问题已建立清单逐项整改。")
        }
        Kind::Rollout => format!("已于{day}起全面推行，运行情况良好，相关记录已存档。"),
        Kind::System => format!("已建立并自{day}起运行，制度文本和运行记录已存档。"),
        Kind::Other => format!("已按整改方案完成（{day}），相关工作材料已归档。"),
    }
}

/// A file name for the evidence of a measure, and whether it is a photo.
pub fn file_name(title: &str, unit: &str, on: Date) -> (String, bool) {
    let name = match kind(title) {
        Kind::Document => format!("{}（印发稿）.pdf", document(title).unwrap_or("制度文件")),
        Kind::LifeMeeting => "专题民主生活会情况报告.pdf".into(),
        Kind::Meeting => {
            let n = i16::from(on.month()) + i16::from(on.day() > 15);
            format!("会议纪要（{}年第{n}次{}）.pdf", on.year(), style(unit).meeting)
        }
        Kind::Training if title.contains("警示教育") => "警示教育大会签到表及课件.pdf".into(),
        Kind::Training => "培训签到表及课件.pdf".into(),
        Kind::Refund => "退缴款项凭证.pdf".into(),
        Kind::Sanction => "处理决定书.pdf".into(),
        Kind::Campaign => "专项整治工作总结.pdf".into(),
        Kind::Enforcement => "执法检查记录.pdf".into(),
        Kind::Monitoring => "监测报告.pdf".into(),
        Kind::Plan => "实施方案（印发稿）.pdf".into(),
        Kind::Works | Kind::Disclosure => return ("现场照片（整改后）.png".into(), true),
        Kind::Check => "专项检查报告.pdf".into(),
        Kind::Rollout | Kind::System | Kind::Other => "整改情况报告.pdf".into(),
    };
    (name, false)
}

/// A one-page PDF saying it is fictional demo evidence.
pub fn pdf(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 72 770 Td 16 TL");
    for l in lines {
        let safe: String =
            l.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').filter(|c| !"()\\".contains(*c)).collect();
        text.push_str(&format!(" ({safe}) '"));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A small PNG in a muted colour, with `comment` in a text chunk.
pub fn png(comment: &str, seed: u32) -> Vec<u8> {
    const W: usize = 48;
    const H: usize = 32;
    let base = [90 + (seed * 37 % 90) as u8, 110 + (seed * 53 % 80) as u8, 100 + (seed * 71 % 70) as u8];
    let mut raw = Vec::with_capacity(H * (1 + 3 * W));
    for y in 0..H {
        raw.push(0);
        for x in 0..W {
            let shade = ((x + y) % 16) as u8;
            raw.extend_from_slice(&[base[0] + shade, base[1] + shade, base[2] + shade]);
        }
    }
    // zlib with one stored (uncompressed) deflate block.
    let mut z = vec![0x78, 0x01, 0x01];
    let len = raw.len() as u16;
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(!len).to_le_bytes());
    z.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let mut text = b"Comment\0".to_vec();
    text.extend(comment.bytes().filter(u8::is_ascii));
    chunk(&mut out, b"tEXt", &text);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use qingfeng_domain::rectify::evidence::{FileKind, check_file};

    #[test]
    fn generated_files_pass_the_upload_checks() {
        let p = pdf(&["Qingfeng demo evidence (fictional)".into(), "No. 7".into()]);
        assert_eq!(check_file("整改情况报告.pdf", &p, 1 << 20), Ok(FileKind::Pdf));
        let text = String::from_utf8(p).unwrap();
        let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(text[xref..].starts_with("xref"), "startxref points at the xref table");
        assert_eq!(check_file("现场照片（整改后）.png", &png("x", 3), 1 << 20), Ok(FileKind::Png));
        assert_ne!(png("a", 1), png("b", 1));
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn notes_and_names_follow_the_measure() {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(5);
        let on = date(2026, 6, 3);
        let n = note("修订《公务用车使用管理规定》", "eco_office", on, &mut rng);
        assert!(n.starts_with("已印发《公务用车使用管理规定》（安环机党〔2026〕"), "{n}");
        assert!(note("修订《村务公开制度》", "liuwan", on, &mut rng).contains("村民代表会议"));
        assert_eq!(file_name("完成3处采砂坑回填", "shitan", on), ("现场照片（整改后）.png".into(), true));
        assert_eq!(file_name("局党委专题研究意识形态工作", "police", on).0, "会议纪要（2026年第6次党委会）.pdf");
    }
}

//! A small XML well-formedness checker for the chart tests.

/// A small XML well-formedness checker: one root, balanced tags, quoted
/// unique attributes, valid entity references, no stray `<` or `&`.
pub fn check_xml(doc: &str) -> Result<(), String> {
    let b = doc.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut i = 0;
    let name_end = |mut j: usize| {
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b"-_:.".contains(&b[j])) {
            j += 1;
        }
        j
    };
    while i < b.len() {
        match b[i] {
            b'<' if b.get(i + 1) == Some(&b'/') => {
                let e = name_end(i + 2);
                let name = &doc[i + 2..e];
                if b.get(e) != Some(&b'>') {
                    return Err(format!("bad end tag at {i}"));
                }
                if stack.pop() != Some(name) {
                    return Err(format!("unbalanced </{name}> at {i}"));
                }
                i = e + 1;
            }
            b'<' => {
                let e = name_end(i + 1);
                if e == i + 1 {
                    return Err(format!("bad tag at {i}"));
                }
                let name = &doc[i + 1..e];
                if stack.is_empty() {
                    roots += 1;
                }
                let mut j = e;
                let mut attrs: Vec<&str> = Vec::new();
                loop {
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                    match b.get(j) {
                        Some(b'>') => {
                            stack.push(name);
                            j += 1;
                            break;
                        }
                        Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                            j += 2;
                            break;
                        }
                        Some(_) => {
                            let ae = name_end(j);
                            let attr = &doc[j..ae];
                            if attr.is_empty() || b.get(ae) != Some(&b'=') {
                                return Err(format!("bad attribute in <{name}> at {j}"));
                            }
                            if attrs.contains(&attr) {
                                return Err(format!("duplicate attribute {attr} in <{name}>"));
                            }
                            attrs.push(attr);
                            let q = *b.get(ae + 1).ok_or("eof")?;
                            if q != b'"' && q != b'\'' {
                                return Err(format!("unquoted {attr} in <{name}>"));
                            }
                            let close = doc[ae + 2..].find(q as char).ok_or("unterminated attribute")? + ae + 2;
                            check_text(&doc[ae + 2..close])?;
                            j = close + 1;
                        }
                        None => return Err("eof in tag".into()),
                    }
                }
                i = j;
            }
            _ => {
                let e = doc[i..].find('<').map_or(b.len(), |k| i + k);
                if stack.is_empty() && !doc[i..e].trim().is_empty() {
                    return Err(format!("text outside root at {i}"));
                }
                check_text(&doc[i..e])?;
                i = e;
            }
        }
    }
    match (roots, stack.is_empty()) {
        (1, true) => Ok(()),
        (n, _) => Err(format!("{n} roots, open: {stack:?}")),
    }
}

fn check_text(t: &str) -> Result<(), String> {
    if t.contains('<') {
        return Err(format!("raw < in {t:?}"));
    }
    for (k, _) in t.match_indices('&') {
        let rest = &t[k + 1..];
        let end = rest.find(';').ok_or_else(|| format!("bare & in {t:?}"))?;
        let ent = &rest[..end];
        let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
            || ent.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("bad entity &{ent};"));
        }
    }
    Ok(())
}

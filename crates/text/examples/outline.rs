//! `cargo run -p qingfeng-text --example outline -- FILE [--text]`: the tree without the CLI.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: outline FILE [--text]");
        std::process::exit(2);
    };
    match qingfeng_text::outline_file(std::path::Path::new(path)) {
        Ok(o) => {
            print!("{}", qingfeng_text::render::render_tree(&o, args.iter().any(|a| a == "--text")));
            for w in &o.warnings {
                eprintln!("warning: {w}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

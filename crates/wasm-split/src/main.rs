//! `rc-wasm-split RAW.wasm OUT_DIR`: splits the widget's wasm, as cargo built it (with
//! `--emit-relocs`), at its `#[wasm_split]` points, for `scripts/post-build.mjs`. Writes
//! `OUT_DIR/main.wasm` (for wasm-bindgen), one `.wasm` per part fetched later,
//! `__wasm_split.js` (which fetches them, next to the glue), and prints the parts' file
//! names, one a line. The splitting itself is `wasm_split_cli_support`'s, the tool
//! Leptos' `#[lazy]` is made for.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out] = args.as_slice() else {
        eprintln!("usage: rc-wasm-split RAW.wasm OUT_DIR");
        return ExitCode::from(2);
    };
    let wasm = match std::fs::read(input) {
        Ok(wasm) => wasm,
        Err(error) => {
            eprintln!("rc-wasm-split: cannot read {input}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let out = Path::new(out);
    let main_out = out.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = out;
    options.main_out_path = &main_out;
    // The link module imports `initSync` from the glue, which sits beside it.
    options.main_module = "./reader-comments-app.js";
    match wasm_split_cli_support::transform(options) {
        Ok(split) => {
            for part in &split.split_modules {
                if let Some(name) = part.file_name() {
                    println!("{}", name.to_string_lossy());
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rc-wasm-split: {error:#}");
            ExitCode::FAILURE
        }
    }
}

//! The fuzz targets' checks (`fuzz/src/lib.rs`), run on every input kept
//! in `fuzz/regressions/<target>/`: each crash a fuzzer found, and inputs
//! chosen by hand. `cargo fuzz` runs the same checks on generated input;
//! see CONTRIBUTING.md.

#[path = "../fuzz/src/lib.rs"]
mod checks;

/// Runs `check` on every file under `fuzz/regressions/<target>/`; returns
/// how many there were and how many reached the property checks.
fn replay(target: &str, check: fn(&[u8]) -> bool) -> (usize, usize) {
    let dir = format!("{}/fuzz/regressions/{target}", env!("CARGO_MANIFEST_DIR"));
    let (mut n, mut reached) = (0, 0);
    for entry in std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
    {
        let data = std::fs::read(entry.path()).expect("read");
        let name = entry.file_name().to_string_lossy().into_owned();
        let result = std::panic::catch_unwind(|| check(&data));
        let Ok(got_there) = result else {
            panic!("{target}: the kept input {name} fails again");
        };
        n += 1;
        reached += usize::from(got_there);
    }
    (n, reached)
}

#[test]
fn every_kept_input_passes_its_fuzz_target() {
    for (target, check) in [
        ("frontmatter", checks::frontmatter as fn(&[u8]) -> bool),
        ("markdown", checks::markdown),
        ("edit", checks::edit),
        ("summary", checks::summary),
        ("intake", checks::intake),
    ] {
        let (n, reached) = replay(target, check);
        // Some input of each target gets as far as its properties, or the
        // replay would prove only that nothing panics.
        assert!(
            n > 0 && reached > 0,
            "{target}: {n} kept, {reached} reached the checks"
        );
    }
}

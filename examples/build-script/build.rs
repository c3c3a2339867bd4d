//! Generates the Salesforce bindings from `../../schemas` into `OUT_DIR`.

fn main() {
    let generated = sfgen::Builder::new()
        .schemas("../../schemas")
        .objects(["Account", "Contact", "User"])
        .unified(sfgen::UnifiedSelection::Off)
        .module_path("crate::salesforce")
        .generate_to_out_dir();
    if let Err(e) = generated {
        // A build script reports failure by exiting non-zero; Cargo shows stderr.
        eprintln!("error: generating the Salesforce bindings: {e}");
        std::process::exit(1);
    }
}

//! The `dossier` binary: command-line interface, configuration and wiring.

fn main() {
    println!("dossier");
}

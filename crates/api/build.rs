// The curated knowledge base is built into the binary; rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../../data");
}

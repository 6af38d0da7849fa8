// moor.rs: line 1
fn moor(boat: &str) {
    println!("mooring {boat}");
}
// line 5
fn main() { moor("Ada"); }

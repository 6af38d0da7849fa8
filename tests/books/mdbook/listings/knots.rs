use std::fmt;
// ANCHOR: bowline
fn bowline() -> &'static str {
    "a fixed loop"
}
// ANCHOR_END: bowline
fn main() {
    println!("{}", bowline());
}

// The generated Owner mapper does not implement `WriteMapping`, so no generic
// write path accepts it either.
use sfgen_generated::unified::owner::OwnerMapping;
use sfgen_runtime::unified::WriteMapping;

fn writes<W: WriteMapping>() {}

fn main() {
    writes::<OwnerMapping>();
}

/// The chapter's model: four stride-2 convolutions halving a 64×64 image to 4×4 while widening
/// 3 → 16 → 32 → 64 → 128 channels, an average over the 4×4, and a linear layer to 10 classes.
///
/// x: [N, 3, 64, 64] → [N, 10]
public func simpleCNN() -> Sequential {
    Sequential(
        ConvLayer(3, 16, stride: 2),  // 32×32
        ConvLayer(16, 32, stride: 2),  // 16×16
        ConvLayer(32, 64, stride: 2),  //  8×8
        ConvLayer(64, 128, stride: 2),  //  4×4
        AdaptivePool(),
        Linear(128, 10)
    )
}

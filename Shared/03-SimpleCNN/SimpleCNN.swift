/// The chapter's `simple_cnn`: four stride-2 convolutions (3 → 128 channels), a pool, a linear layer.
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

/// Averages each channel over its height and width. x: [N, C, H, W] → [N, C]
public final class AdaptivePool: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.mean(2, 3) }
}

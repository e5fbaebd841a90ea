/// Runs layers in order; it registers them itself, since reflection does not see into an array.
public final class Sequential: Module {
    /// The layers, in order.
    public let layers: [Module]

    /// A model made of `layers`.
    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
        registerModules(layers)
    }

    /// A model made of the given layers: `Sequential(ConvLayer(3, 16), …)`.
    public convenience init(_ layers: Module...) { self.init(layers) }

    public override func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { x, layer in layer(x) }
    }
}

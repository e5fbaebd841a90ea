import Foundation

/// Layers that can say how many multiply-adds they cost, for `summary`.
public protocol MultiplyAddCounting: Module {
    /// Multiply-adds to compute an output of shape `output` from an input of shape `input` (the whole
    /// batch; bias additions and activations are not counted, as is customary).
    func multiplyAdds(input: [Int], output: [Int]) -> Int
}

extension ConvLayer: MultiplyAddCounting {
    /// Every output element is a dot product over `ni` channels × 3 × 3 taps.
    public func multiplyAdds(input: [Int], output: [Int]) -> Int {
        output.reduce(1, *) * w.shape[1] * w.shape[2] * w.shape[3]
    }
}

extension Linear: MultiplyAddCounting {
    /// Every output element is a dot product over `ni` features.
    public func multiplyAdds(input: [Int], output: [Int]) -> Int { output.reduce(1, *) * w.shape[1] }
}

/// fastai's `learn.summary()` table, with `torchinfo`'s multiply-adds: a row per layer, and totals.
public struct ModelSummary: CustomStringConvertible {
    /// One layer of the model.
    public struct Row: Equatable {
        /// The layer's type, e.g. `ConvLayer`.
        public var layer: String
        /// The shape of its output for the sample batch.
        public var outputShape: [Int]
        /// Elements in its parameters.
        public var parameters: Int
        /// Whether those parameters are trained (`requiresGrad`); nil for a layer without any.
        public var trainable: Bool?
        /// Multiply-adds for the sample batch, or nil when the layer cannot say.
        public var multiplyAdds: Int?
    }

    /// The model's type, e.g. `Sequential`.
    public var model: String
    /// The sample batch's shape.
    public var inputShape: [Int]
    /// The layers, in order.
    public var rows: [Row]

    /// Elements in all parameters (each tensor counted once, even if two layers share it).
    public var totalParameters: Int
    /// Elements in parameters that require a gradient.
    public var trainableParameters: Int
    /// Multiply-adds for the sample batch, over the layers that can say.
    public var totalMultiplyAdds: Int { rows.compactMap(\.multiplyAdds).reduce(0, +) }

    public var description: String {
        let header = ["Layer (type)", "Output Shape", "Param #", "Trainable", "Mult-Adds"]
        let cells = rows.map { row in
            [
                row.layer, row.outputShape.map(String.init).joined(separator: " x "),
                row.parameters == 0 ? "" : grouped(row.parameters),
                row.trainable.map { $0 ? "True" : "False" } ?? "",
                row.multiplyAdds.map(grouped) ?? "?"
            ]
        }
        let widths = header.indices.map { column in
            ([header] + cells).map { $0[column].count }.max()! + 3
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +))
        func line(_ fields: [String]) -> String {
            let padded = zip(fields, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            return padded.joined().trimmingTrailingSpaces()
        }
        var text = "\(model) (Input shape: \(inputShape.map(String.init).joined(separator: " x ")))\n"
        text += rule + "\n" + line(header) + "\n" + rule + "\n"
        for row in cells { text += line(row) + "\n" }
        text += rule + "\n"
        text += "Total params: \(grouped(totalParameters))\n"
        text += "Total trainable params: \(grouped(trainableParameters))\n"
        text += "Total non-trainable params: \(grouped(totalParameters - trainableParameters))\n"
        let batch = inputShape.first ?? 1
        text += "Total mult-adds: \(grouped(totalMultiplyAdds))"
        if batch > 1 { text += " (\(grouped(totalMultiplyAdds / batch)) per image)" }
        if rows.contains(where: { $0.multiplyAdds == nil }) { text += ", not counting the layers marked ?" }
        return text
    }
}

/// fastai's `learn.summary()`: runs `x` through `model` layer by layer, a `Sequential` opened up.
public func summary(_ model: Module, input x: Tensor) -> ModelSummary {
    var rows: [ModelSummary.Row] = []
    func visit(_ module: Module, _ x: Tensor) -> Tensor {
        if let sequential = module as? Sequential {
            return sequential.layers.reduce(x) { x, layer in visit(layer, x) }
        }
        let y = module(x)
        let parameters = module.parameters()
        rows.append(
            ModelSummary.Row(
                layer: String(describing: type(of: module)), outputShape: y.shape,
                parameters: parameters.map(\.count).reduce(0, +),
                trainable: parameters.isEmpty ? nil : parameters.contains { $0.requiresGrad },
                multiplyAdds: (module as? MultiplyAddCounting)?.multiplyAdds(input: x.shape, output: y.shape)
                    ?? (parameters.isEmpty ? 0 : nil)))
        return y
    }
    let wasTraining = model.training
    model.training = false
    defer { model.training = wasTraining }
    _ = noGrad { visit(model, x) }
    let all = model.parameters()
    return ModelSummary(
        model: String(describing: type(of: model)), inputShape: x.shape, rows: rows,
        totalParameters: all.map(\.count).reduce(0, +),
        trainableParameters: all.filter(\.requiresGrad).map(\.count).reduce(0, +))
}

extension Learner {
    /// The summary of the learner's model on the batch `x`, already transformed as the model takes it
    /// (`learn.summary()` in fastai, which takes a batch from its loaders itself).
    public func summary(_ x: Tensor) -> ModelSummary { Shared.summary(model, input: x) }
}

/// `98730` → `98,730`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

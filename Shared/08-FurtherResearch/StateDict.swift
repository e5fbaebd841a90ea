/// A model's parameters under PyTorch's `state_dict()` names, for the `nn.Sequential` fastai would
/// build: `ConvLayer` is fastai's `ConvLayer`, `0.weight` inside its own `Sequential`, so
/// `simpleCNN()` has `0.0.weight`, … `5.weight`; shapes are already PyTorch's. Other modules are
/// named by reflection, `w` and `b` as `weight` and `bias`.
public protocol PyTorchNaming: Module {
    /// This module's parameters, named relative to it, in PyTorch's `state_dict()` order.
    func namedParameters() -> [(name: String, parameter: Parameter)]
}

extension Sequential: PyTorchNaming {
    /// Each layer's names behind its index: `0.0.weight`, …, `5.bias`.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { index, layer in
            stateDictEntries(of: layer).map { ("\(index).\($0.name)", $0.parameter) }
        }
    }
}

extension ConvLayer: PyTorchNaming {
    /// `0.weight`, `0.bias`: the convolution is element 0 of fastai's `ConvLayer` (ReLU is element 1).
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        [("0.weight", w)] + (b.map { [("0.bias", $0)] } ?? [])
    }
}

extension Linear: PyTorchNaming {
    /// `weight` `[nf, ni]` and `bias` `[nf]`, as `nn.Linear`.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        [("weight", w), ("bias", b)]
    }
}

/// `module`'s parameters under `state_dict()` names (`PyTorchNaming`), once each, in PyTorch's order.
public func stateDictEntries(of module: Module) -> [(name: String, parameter: Parameter)] {
    if let named = module as? PyTorchNaming { return named.namedParameters() }
    var entries: [(name: String, parameter: Parameter)] = []
    var mirror: Mirror? = Mirror(reflecting: module)
    var labelled: [(String, Any)] = []
    while let m = mirror, m.subjectType != Module.self {
        // Superclass properties come first, as they are declared first.
        labelled = m.children.compactMap { child in child.label.map { ($0, child.value) } } + labelled
        mirror = m.superclassMirror
    }
    var seen = Set<ObjectIdentifier>()
    for (label, value) in labelled {
        let unwrapped = (value as? Parameter) ?? (value as? Parameter?).flatMap { $0 }
        if let parameter = unwrapped, seen.insert(ObjectIdentifier(parameter)).inserted {
            entries.append((pyTorchName(label), parameter))
        }
    }
    for (label, value) in labelled {
        let unwrapped = (value as? Module) ?? (value as? Module?).flatMap { $0 }
        guard let child = unwrapped else { continue }
        for entry in stateDictEntries(of: child) where seen.insert(ObjectIdentifier(entry.parameter)).inserted {
            entries.append(("\(label).\(entry.name)", entry.parameter))
        }
    }
    // Parameters and modules registered by hand: numbered, as PyTorch numbers an `nn.ModuleList`.
    let reflectedModules = Set(
        labelled.compactMap { (($0.1 as? Module) ?? ($0.1 as? Module?).flatMap { $0 }).map(ObjectIdentifier.init) })
    let extraModules = module.children.filter { !reflectedModules.contains(ObjectIdentifier($0)) }
    for (index, child) in extraModules.enumerated() {
        for entry in stateDictEntries(of: child) where seen.insert(ObjectIdentifier(entry.parameter)).inserted {
            entries.append(("\(index).\(entry.name)", entry.parameter))
        }
    }
    for (index, parameter) in module.ownParameters.enumerated()
    where seen.insert(ObjectIdentifier(parameter)).inserted {
        entries.append(("param\(index)", parameter))
    }
    return entries
}

/// `w` → `weight`, `b` → `bias`; other names unchanged.
private func pyTorchName(_ label: String) -> String {
    switch label {
    case "w": return "weight"
    case "b": return "bias"
    default: return label
    }
}

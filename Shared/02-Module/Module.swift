/// The chapter's `Module`: parameters, sub-modules, `training`, `forward` with a hook, devices.
///
/// Where the chapter's `__setattr__` registers what is assigned, `Mirror` reads the stored
/// properties. Like `__setattr__` it does not look inside arrays, so those call `registerModules`
/// (question 20).
open class Module {
    /// Called after `forward` with the output and the inputs (the chapter's `hook`).
    public var hook: ((_ output: Tensor, _ inputs: [Tensor]) -> Void)?
    private var registeredParameters: [Parameter] = []
    private var registeredModules: [Module] = []
    private var isTraining = false

    public init() {}

    /// Registers parameters that reflection cannot see (kept in a collection, say).
    public func registerParameters(_ parameters: Parameter...) { registeredParameters += parameters }
    /// Registers modules that reflection cannot see (kept in a collection, say).
    public func registerModules(_ modules: [Module]) { registeredModules += modules }
    /// Registers modules that reflection cannot see, as arguments.
    public func registerModules(_ modules: Module...) { registeredModules += modules }

    /// This module's own parameters: those in stored properties, then the registered ones.
    public var ownParameters: [Parameter] {
        reflectedProperties.compactMap { $0 as? Parameter } + registeredParameters
    }

    /// The modules directly inside this one: those in stored properties, then the registered ones.
    public var children: [Module] {
        reflectedProperties.compactMap { $0 as? Module } + registeredModules
    }

    /// Every parameter of this module and, recursively, of its children (chapter question 15):
    /// each module contributes its own and asks its children for theirs. A tensor shared by two
    /// modules is listed once, so an optimiser never steps it twice.
    public func parameters() -> [Parameter] {
        var seen = Set<ObjectIdentifier>()
        return (ownParameters + children.flatMap { $0.parameters() }).filter {
            seen.insert(ObjectIdentifier($0)).inserted
        }
    }

    /// Whether the module is training (vs. evaluating); setting it sets every descendant too.
    public var training: Bool {
        get { isTraining }
        set {
            isTraining = newValue
            for child in children { child.training = newValue }
        }
    }

    /// The computation of this module. Subclasses override this, not `callAsFunction`, so that the
    /// hook runs for every module without each one remembering to call it (question 18).
    open func forward(_ x: Tensor) -> Tensor {
        engineFailure("\(type(of: self)).forward", "this module does not override forward(_:)")
    }

    /// Runs the module: `forward`, then the hook if one is set. `model(x)` reads as in Python because
    /// Swift calls `callAsFunction` when an instance is applied like a function.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let output = forward(x)
        hook?(output, [x])
        return output
    }

    /// Moves every parameter's numbers to `device`, keeping the same `Parameter` objects so that an
    /// optimiser holding them follows along (`model.cuda()` in the chapter).
    public func to(_ device: Device) {
        for p in parameters() { p.moveStorage(to: device) }
    }

    /// The device of the first parameter (`.cpu` for a module without parameters).
    public var device: Device { parameters().first?.device ?? .cpu }

    /// The values of this instance's stored properties, subclass and superclass ones alike.
    private var reflectedProperties: [Any] {
        var values: [Any] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror, m.subjectType != Module.self {
            values.append(contentsOf: m.children.map(\.value))
            mirror = m.superclassMirror
        }
        return values
    }
}

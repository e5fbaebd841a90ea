/// The chapter's `SetupLearnerCB`: the model, and every batch through `tfmX`, to the learner's device.
public final class SetupLearnerCB: Callback {
    /// The transform applied to every input batch (normalise, NHWC → NCHW in the chapter).
    public let tfmX: (Tensor) -> Tensor
    /// Where training runs.
    public let device: Device

    public init(device: Device = .cpu, tfmX: @escaping (Tensor) -> Tensor) {
        self.device = device
        self.tfmX = tfmX
    }

    public override func beforeFit() throws {
        self.model.to(device)
    }

    public override func beforeBatch() throws {
        let (xb, yb) = self.batch!
        self.batch = (tfmX(xb.to(device)), yb.to(device))
    }
}

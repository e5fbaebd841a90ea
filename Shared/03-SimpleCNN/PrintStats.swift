/// The chapter's hook: prints the mean and standard deviation of a layer's output, to watch
/// activations keep a sensible scale through the network.
public func printStats(_ output: Tensor, _ inputs: [Tensor]) {
    OutputRecording.print(
        cFormat("%.4f", Double(output.mean().item())) + " " + cFormat("%.4f", Double(output.std().item())))
}

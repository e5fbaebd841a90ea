/// The memory a device backend hands out for a tensor's elements on an accelerator.
///
/// The OpenCL backend's buffer conforms; the engine only keeps the object alive and passes it back.
public protocol DeviceBuffer: AnyObject {}

/// A flat block of `count` Float32 numbers that one or more tensors view.
///
/// Views (`reshape`, `permute`, `t()`) share one `Storage` and differ only in shape, strides and offset,
/// exactly as in PyTorch. The block lives either in host memory (a pointer we own) or on a device
/// (a `DeviceBuffer` the backend owns); which one is recorded in `device`.
public final class Storage {
    /// Number of Float32 elements.
    public let count: Int
    /// Host memory, for `.cpu` storage.
    public let host: UnsafeMutablePointer<Float>?
    /// Device memory, for `.gpu` storage.
    public let buffer: DeviceBuffer?

    /// Where the elements live.
    public var device: Device { host != nil ? .cpu : .gpu }

    /// How many times the numbers were changed in place (PyTorch's version counter). Every in-place
    /// op adds one; an op that saves a tensor for its backward records it, and `backward()` stops if
    /// it has changed since. Kept on the storage, so that every view of it shares one count.
    public internal(set) var version = 0

    /// Allocates uninitialised host memory for `count` elements.
    public init(hostCount count: Int) {
        self.count = count
        // One element at least, so that a pointer always exists even for empty tensors; large
        // blocks are recycled between tensors of similar sizes (`HostMemoryPool`).
        self.host = HostMemoryPool.shared.take(count)
        self.buffer = nil
    }

    /// Wraps a device buffer of `count` elements.
    public init(deviceBuffer: DeviceBuffer, count: Int) {
        self.count = count
        self.host = nil
        self.buffer = deviceBuffer
    }

    deinit {
        if let host { HostMemoryPool.shared.give(host, count: count) }
    }
}

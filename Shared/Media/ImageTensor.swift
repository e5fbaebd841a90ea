import Engine

extension Tensor {
    /// The pixels of `image` as a `[height, width, 3]` tensor of values 0…255 (`tensor(im)`; the
    /// engine's one element type is Float, where PyTorch would keep bytes).
    public convenience init(_ image: RGBImage) {
        self.init(shape: [image.height, image.width, 3]) { out in
            image.pixels.withUnsafeBufferPointer { p in
                for i in 0..<p.count { out[i] = Float(p[i]) }
            }
        }
    }
}

extension RGBImage {
    /// The picture in a `[H, W, 3]` (channels last, as the dataset yields it) or `[3, H, W]`
    /// (channels first, after `tfmX`) tensor of values in [0, 1]; values outside are clipped, the way
    /// `show_image` clips before drawing. Only used to look at data, so a normalised tensor shows as
    /// its clipped values.
    public init(_ x: Tensor) throws {
        let host = x.cpu().contiguous().toArray()
        let channelsLast = x.rank == 3 && x.shape[2] == 3
        let channelsFirst = x.rank == 3 && x.shape[0] == 3 && !channelsLast
        guard channelsLast || channelsFirst || x.rank == 2 else {
            throw ImageFileError(
                path: "(tensor)",
                message: "cannot show a tensor of shape \(x.shape) as an image; expected [H, W, 3], [3, H, W] or [H, W]"
            )
        }
        let height = channelsFirst ? x.shape[1] : x.shape[0]
        let width = channelsFirst ? x.shape[2] : x.shape[1]
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let plane = width * height
        for i in 0..<plane {
            for c in 0..<3 {
                let v: Float
                if x.rank == 2 {
                    v = host[i]
                } else if channelsLast {
                    v = host[i * 3 + c]
                } else {
                    v = host[c * plane + i]
                }
                pixels[i * 3 + c] = UInt8((Swift.min(Swift.max(v.isNaN ? 0 : v, 0), 1) * 255).rounded())
            }
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}

import Foundation

extension Module {
    /// The model's weights by PyTorch name (`model.state_dict()`), copied to the host.
    public func stateDict() -> [String: SafetensorsEntry] {
        var dict: [String: SafetensorsEntry] = [:]
        for (name, parameter) in stateDictEntries(of: self) {
            dict[name] = SafetensorsEntry(shape: parameter.shape, values: parameter.toArray())
        }
        return dict
    }

    /// Overwrites the model's weights with `tensors` (`model.load_state_dict(sd)`, strict, as PyTorch's
    /// default): every parameter must be present with its exact shape, and nothing else may be there.
    ///
    /// Everything is checked before the first weight changes, so a bad file leaves the model as it
    /// was. `file` names the source in errors.
    public func loadStateDict(_ tensors: [String: SafetensorsEntry], file: String) throws {
        let entries = stateDictEntries(of: self)
        for (name, parameter) in entries {
            guard let entry = tensors[name] else {
                throw SafetensorsError(
                    file: file, tensor: name,
                    problem: "missing: the model has a parameter of shape \(parameter.shape) by this name")
            }
            guard entry.shape == parameter.shape else {
                throw SafetensorsError(
                    file: file, tensor: name,
                    problem: "shape \(entry.shape) in the file, but the model's parameter is \(parameter.shape)")
            }
        }
        let expected = Set(entries.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw SafetensorsError(
                file: file, tensor: extra,
                problem: "unexpected: the model has no parameter by this name (a different architecture?)")
        }
        noGrad {
            for (name, parameter) in entries {
                let entry = tensors[name]!
                parameter.assign(Tensor(entry.values, shape: entry.shape))
            }
        }
    }

    /// Writes the model's weights to `url` as safetensors, with `metadata` in the header, plus
    /// `"format": "pt"` unless `metadata` says otherwise (the tag PyTorch tools write and look for).
    ///
    /// The file is written under a temporary name in the same folder, flushed to disk, and renamed
    /// over `url`: a rename within a folder is atomic, so a save that is interrupted (an error, a
    /// full disk, Ctrl-C) leaves the previous file whole. The folder is created if needed.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        let data = Safetensors.encode(stateDict(), metadata: metadata.merging(["format": "pt"]) { mine, _ in mine })
        try writeAtomically(data, to: url)
    }

    /// Reads weights saved by `save(to:)` or by PyTorch (`safetensors.torch.save_file(model.state_dict(), …)`)
    /// into the model, and returns the file's metadata. Nothing changes unless the whole file is good.
    @discardableResult
    public func load(from url: URL) throws -> [String: String] {
        let (tensors, metadata) = try Safetensors.read(url)
        try loadStateDict(tensors, file: url.path)
        return metadata
    }
}

extension Learner {
    /// Where `save(name, path:)` puts a model: `path/modelDir/name.safetensors` (fastai:
    /// `learn.path/learn.model_dir/name.pth`).
    public static func modelFile(_ name: String, path: URL, modelDir: String = "models") -> URL {
        path.appendingPathComponent(modelDir, isDirectory: true).appendingPathComponent(name + ".safetensors")
    }

    /// Saves the model's weights as `path/models/<name>.safetensors` and returns the file (fastai's
    /// `learn.save('stage1')`). fastai's learner knows its `path` from the data; this one is given it,
    /// usually the data set's folder (`data.path`).
    @discardableResult
    public func save(
        _ name: String, path: URL, modelDir: String = "models", metadata: [String: String] = [:]
    ) throws -> URL {
        let file = Learner.modelFile(name, path: path, modelDir: modelDir)
        try model.save(to: file, metadata: metadata)
        return file
    }

    /// Loads `path/models/<name>.safetensors` into the model (fastai's `learn.load('stage1')`) and
    /// returns the file's metadata. A missing file gets an error that says which file was looked for.
    @discardableResult
    public func load(_ name: String, path: URL, modelDir: String = "models") throws -> [String: String] {
        let file = Learner.modelFile(name, path: path, modelDir: modelDir)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw SafetensorsError(
                file: file.path, problem: "no such file; save one first with learn.save(\"\(name)\")")
        }
        return try model.load(from: file)
    }
}

/// Writes `data` to `url` through a temporary file and a rename, so `url` is never half written;
/// tests throw from `afterWriting` to interrupt it before the rename.
func writeAtomically(_ data: Data, to url: URL, afterWriting: (URL) throws -> Void = { _ in }) throws {
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw SafetensorsError(file: folder.path, problem: "cannot create the folder (\(error.localizedDescription))")
    }
    // A dot name hides the half-written file; the process id keeps two savers apart.
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    do {
        try data.write(to: temporary)
        // Make the bytes durable before the rename makes them visible under the real name.
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.synchronize()
        try handle.close()
        try afterWriting(temporary)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        if let error = error as? SafetensorsError { throw error }
        throw SafetensorsError(file: url.path, problem: "cannot be written (\(error.localizedDescription))")
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw SafetensorsError(file: url.path, problem: "cannot replace it with the new file (\(reason))")
    }
}

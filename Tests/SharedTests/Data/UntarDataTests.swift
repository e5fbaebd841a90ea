import Foundation
import Testing

@testable import Media
@testable import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// A one-shot HTTP/1.0 server on 127.0.0.1 that answers every request with `body`, or with only its
/// first `cutAt` bytes while announcing the full length (a connection dropped mid-download).
final class TinyHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32

    init(body: Data, cutAt: Int? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw DataError(path: "127.0.0.1", message: "cannot listen") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                var request = [UInt8](repeating: 0, count: 4096)
                _ = recv(client, &request, request.count, 0)
                let payload = cutAt.map { body.prefix($0) } ?? body
                let header =
                    "HTTP/1.0 200 OK\r\nContent-Length: \(body.count)\r\nContent-Type: application/gzip\r\n\r\n"
                var reply = Data(header.utf8)
                reply.append(payload)
                reply.withUnsafeBytes { raw in
                    var sent = 0
                    while sent < raw.count {
                        let n = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                        if n <= 0 { break }
                        sent += n
                    }
                }
                close(client)
            }
        }
    }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }
}

@Suite struct UntarDataTests {
    /// A small `.tgz` like Imagenette's (`tinyset/train/n01/…`), and its `DownloadableDataset` for `url`.
    func makeArchive(in folder: URL) throws -> (archive: URL, size: Int, md5: String) {
        let source = folder.appendingPathComponent("source")
        try makeTinyImageFolder(
            at: source.appendingPathComponent("tinyset"), classes: ["n01", "n02"],
            trainPerClass: 2, validPerClass: 1)
        // Enough incompressible bytes that the archive is bigger than the 1 MiB the checksum covers.
        let urandom = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        let noise = try urandom.read(upToCount: 1_200_000) ?? Data()
        try urandom.close()
        try noise.write(to: source.appendingPathComponent("tinyset/noise.bin"))
        let archive = folder.appendingPathComponent("tinyset.tgz")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-czf", archive.path, "-C", source.path, "tinyset"]
        try tar.run()
        tar.waitUntilExit()
        let bytes = try Data(contentsOf: archive)
        #expect(bytes.count > 1 << 20)
        return (archive, bytes.count, MD5.hex(bytes.prefix(1 << 20)))
    }

    /// Nothing but `expected` in `folder` (no `.part` files, no staging folders).
    func expectOnly(_ expected: [String], in folder: URL) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        #expect(names == expected.sorted(), "\(folder.lastPathComponent) holds \(names)")
    }

    @Test func goodArchiveFromFileURLAndReuse() throws {
        let root = try makeDataTestFolder("untarGood")
        let (archive, size, md5) = try makeArchive(in: root)
        let dataset = DownloadableDataset(url: archive.absoluteString, size: size, md5OfFirstMiB: md5)
        #expect(dataset.folderName == "tinyset")
        let archives = root.appendingPathComponent("archive"), data = root.appendingPathComponent("data")
        let path = try untarData(dataset, archiveFolder: archives, dataFolder: data, showProgress: false)
        #expect(path == data.appendingPathComponent("tinyset", isDirectory: true))
        #expect(try getImageFiles(path).count == 6)
        expectOnly(["tinyset.tgz"], in: archives)
        expectOnly(["tinyset"], in: data)
        // An existing folder is used as it is: no download, no check.
        try FileManager.default.removeItem(at: archives)
        var unreachable = dataset
        unreachable.url = "http://127.0.0.1:1/tinyset.tgz"
        #expect(try untarData(unreachable, archiveFolder: archives, dataFolder: data, showProgress: false) == path)
        #expect(!FileManager.default.fileExists(atPath: archives.path))
    }

    @Test func goodAndTruncatedDownloadsOverHTTP() throws {
        let root = try makeDataTestFolder("untarHTTP")
        let (archive, size, md5) = try makeArchive(in: root)
        let bytes = try Data(contentsOf: archive)

        let server = try TinyHTTPServer(body: bytes)
        defer { server.stop() }
        let dataset = DownloadableDataset(
            url: "http://127.0.0.1:\(server.port)/tinyset.tgz", size: size, md5OfFirstMiB: md5)
        let good = root.appendingPathComponent("good")
        let path = try untarData(
            dataset, archiveFolder: good.appendingPathComponent("archive"),
            dataFolder: good.appendingPathComponent("data"), showProgress: false)
        #expect(try getImageFiles(path).count == 6)

        // The server drops the connection halfway: curl notices the short body.
        let cut = try TinyHTTPServer(body: bytes, cutAt: bytes.count / 2)
        defer { cut.stop() }
        let truncated = DownloadableDataset(
            url: "http://127.0.0.1:\(cut.port)/tinyset.tgz", size: size, md5OfFirstMiB: md5)
        let bad = root.appendingPathComponent("bad")
        do {
            try untarData(
                truncated, archiveFolder: bad.appendingPathComponent("archive"),
                dataFolder: bad.appendingPathComponent("data"), showProgress: false)
            Issue.record("a truncated download was accepted")
        } catch let error as DataError {
            #expect(error.path == truncated.url && error.message.contains("download failed"), "\(error)")
        }
        expectOnly([], in: bad.appendingPathComponent("archive"))
        #expect(!FileManager.default.fileExists(atPath: bad.appendingPathComponent("data").path))
    }

    @Test func truncatedArchiveFailsTheCheck() throws {
        let root = try makeDataTestFolder("untarTruncated")
        let (archive, size, md5) = try makeArchive(in: root)
        let bytes = try Data(contentsOf: archive)
        let short = root.appendingPathComponent("short.tgz")
        try bytes.prefix(bytes.count - 5000).write(to: short)
        let dataset = DownloadableDataset(url: short.absoluteString, size: size, md5OfFirstMiB: md5)
        let archives = root.appendingPathComponent("archive"), data = root.appendingPathComponent("data")
        do {
            try untarData(dataset, archiveFolder: archives, dataFolder: data, showProgress: false)
            Issue.record("a truncated archive passed the check")
        } catch let error as DataError {
            #expect(error.message.contains("has \(size - 5000) bytes, expected \(size)"), "\(error)")
        }
        expectOnly([], in: archives)
        #expect(!FileManager.default.fileExists(atPath: data.path))

        // Right size, wrong content: the checksum catches it.
        let wrong = DownloadableDataset(
            url: archive.absoluteString, size: size, md5OfFirstMiB: String(repeating: "0", count: 32))
        #expect(throws: DataError.self) {
            try untarData(wrong, archiveFolder: archives, dataFolder: data, showProgress: false)
        }
        expectOnly([], in: archives)
    }

    @Test func archiveThatPassesTheCheckButDoesNotExtract() throws {
        // A file of the right size and checksum that is not a gzip: tar's failure is reported and no
        // data folder appears.
        let root = try makeDataTestFolder("untarCorrupt")
        let junk = root.appendingPathComponent("junk.tgz")
        let bytes = Data(repeating: 7, count: 2000)
        try bytes.write(to: junk)
        let dataset = DownloadableDataset(url: junk.absoluteString, size: 2000, md5OfFirstMiB: MD5.hex(bytes))
        let data = root.appendingPathComponent("data")
        do {
            try untarData(
                dataset, archiveFolder: root.appendingPathComponent("archive"), dataFolder: data, showProgress: false)
            Issue.record("junk extracted")
        } catch let error as DataError {
            #expect(error.message.contains("extraction failed"), "\(error)")
        }
        expectOnly([], in: data)
    }

    @Test func serverDownFailsFast() throws {
        let root = try makeDataTestFolder("untarDown")
        // A port that was just free: nothing listens there.
        let probe = try TinyHTTPServer(body: Data())
        let port = probe.port
        probe.stop()
        let dataset = DownloadableDataset(
            url: "http://127.0.0.1:\(port)/imagenette2-160.tgz", size: 10, md5OfFirstMiB: "x")
        let start = Date()
        do {
            try untarData(
                dataset, archiveFolder: root.appendingPathComponent("archive"),
                dataFolder: root.appendingPathComponent("data"), connectTimeout: 2, showProgress: false)
            Issue.record("download from a closed port succeeded")
        } catch let error as DataError {
            #expect(error.path == dataset.url && error.message.contains("download failed"), "\(error)")
            #expect(error.message.lowercased().contains("connect"), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 5)
        expectOnly([], in: root.appendingPathComponent("archive"))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many bytes of stack a call of `body` uses, or nil if a thread to measure it on cannot be made.
///
/// Why: the question asks for a recursive function, and reading the source only shows that the
/// function mentions itself; a loop wrapped in a function that calls itself in a branch never taken
/// passes that. A recursive answer goes deeper into the stack the more numbers it is asked for; a loop
/// does not. `body` runs on a thread whose stack this function allocates and fills with a pattern
/// first; the lowest byte overwritten gives the depth reached.
func stackBytesUsed(by body: @escaping () -> Void) -> Int? {
    let size = 8 << 20
    guard let stack = malloc(size) else { return nil }
    defer { free(stack) }
    let pattern: UInt8 = 0xA5
    memset(stack, Int32(pattern), size)
    var attributes = pthread_attr_t()
    guard pthread_attr_init(&attributes) == 0 else { return nil }
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstack(&attributes, stack, size) == 0 else { return nil }
    final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    let job = Unmanaged.passRetained(Job(body))
    #if canImport(Darwin)
        var thread: pthread_t?
    #else
        var thread = pthread_t()
    #endif
    let started = pthread_create(
        &thread, &attributes,
        { context in
            Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, job.toOpaque())
    guard started == 0 else {
        job.release()
        return nil
    }
    #if canImport(Darwin)
        pthread_join(thread!, nil)
    #else
        pthread_join(thread, nil)
    #endif
    let bytes = stack.assumingMemoryBound(to: UInt8.self)
    var untouched = 0
    while untouched < size && bytes[untouched] == pattern { untouched += 1 }
    return size - untouched
}

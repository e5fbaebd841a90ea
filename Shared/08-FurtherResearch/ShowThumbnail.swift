extension StepContext {
    /// Draws the image file at `path` in the terminal, at most `width` columns wide, when the console
    /// shows colour (the preview is made of 24-bit colour escapes); nothing on a pipe, in a test, or
    /// while the step runs quietly for `--from`. Throws `ImageFileError` for an unreadable file.
    public func showThumbnail(_ path: String, width: Int = 32) throws {
        guard style.enabled, !isQuiet else { return }
        print(terminalPreview(try loadImage(path), maxWidth: width), terminator: "")
    }
}

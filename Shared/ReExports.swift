// What `import Shared` brings: the chapter's sections and, re-exported, the layers beneath them, so that
// every chapter, exercise and test needs the one import.
@_exported import Engine
@_exported import Media
@_exported import Support
@_exported import Workbook

/// Imagenette's ten classes: the ImageNet (WordNet) ids its folders are named after, and the words a
/// person would use. The built-in stand-in uses the same ids.
public enum ImagenetteClasses {
    /// WordNet id → readable name, for the ten classes.
    public static let names: [String: String] = [
        "n01440764": "tench",
        "n02102040": "English springer",
        "n02979186": "cassette player",
        "n03000684": "chain saw",
        "n03028079": "church",
        "n03394916": "French horn",
        "n03417042": "garbage truck",
        "n03425413": "gas pump",
        "n03445777": "golf ball",
        "n03888605": "parachute"
    ]

    /// The readable name of `wordNetID`, or the id itself for a class that is not Imagenette's (a data
    /// set of your own, whose folder names are already readable).
    public static func name(of wordNetID: String) -> String { names[wordNetID] ?? wordNetID }
}

using System.Security.Cryptography;

namespace Strata.Runtime.Containers;

/// <summary>Docker-style random names (<c>adjective_scientist</c>) for containers created without <c>--name</c>.</summary>
public static class NameGenerator
{
    private static readonly string[] Left =
    [
        "admiring", "adoring", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "brave", "busy", "charming", "clever",
        "cool", "compassionate", "confident", "cranky", "dazzling", "determined", "dreamy", "eager", "ecstatic", "elastic", "elegant",
        "epic", "exciting", "fervent", "festive", "focused", "friendly", "frosty", "gallant", "gifted", "goofy", "gracious", "happy",
        "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "jolly", "jovial", "keen", "kind", "laughing", "loving",
        "lucid", "magical", "modest", "musing", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful",
        "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent", "romantic", "sad", "serene",
        "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "upbeat",
        "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen",
    ];

    private static readonly string[] Right =
    [
        "albattani", "allen", "archimedes", "babbage", "banach", "bardeen", "bell", "bhabha", "bohr", "brattain", "carson", "cerf",
        "chandrasekhar", "clarke", "curie", "darwin", "diffie", "dijkstra", "einstein", "elion", "engelbart", "euclid", "euler",
        "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "goldberg", "goodall", "hamilton", "hawking", "heisenberg",
        "hermann", "hopper", "hypatia", "jennings", "johnson", "kepler", "knuth", "kowalevski", "lamarr", "lamport", "leakey",
        "lovelace", "lumiere", "mayer", "mccarthy", "mcclintock", "meitner", "mendel", "minsky", "morse", "newton", "nobel",
        "noether", "pascal", "pasteur", "perlman", "pike", "poincare", "ptolemy", "ritchie", "rosalind", "sammet", "shannon",
        "shockley", "sinoussi", "stallman", "swanson", "tesla", "thompson", "torvalds", "turing", "varahamihira", "wiles",
        "williams", "wilson", "wozniak", "wright", "yalow", "yonath",
    ];

    public static string Next(int attempt = 0)
    {
        var name = Left[RandomNumberGenerator.GetInt32(Left.Length)] + "_" + Right[RandomNumberGenerator.GetInt32(Right.Length)];
        return attempt > 0 ? name + RandomNumberGenerator.GetInt32(10) : name;
    }
}

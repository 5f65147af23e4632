using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LogisticsSync.Simulators.Data;

/// <summary>
/// Independent random streams derived from one seed. Each stream (and each key within a stream, such as
/// an order's business key) gets its own <see cref="Random"/>, so what happens to order 17 depends only
/// on the seed and the order, never on which order a busy process happened to handle first.
/// </summary>
/// <remarks>
/// SHA-256 rather than <see cref="string.GetHashCode()"/>: string hashes are randomised per process,
/// and the same seed must give the same streams in every process and on every run.
/// </remarks>
internal static class SeededRandom
{
    public static Random For(int seed, string stream, string? key = null) => new(DeriveSeed(seed, stream, key));

    public static int DeriveSeed(int seed, string stream, string? key = null) =>
        BinaryPrimitives.ReadInt32LittleEndian(Hash(seed, stream, key));

    /// <summary>A uniform number in [0, 1) for one decision, e.g. "does attempt 2 of order 17 lose its response".</summary>
    public static double Unit(int seed, string stream, string key) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(Hash(seed, stream, key)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A stable identifier (idempotency keys, event ids): the same seed and key give the same id on every run.</summary>
    public static Guid Id(int seed, string stream, string key)
    {
        Span<byte> bytes = stackalloc byte[16];
        Hash(seed, stream, key).AsSpan(0, 16).CopyTo(bytes);
        // RFC 9562 version 8 (custom) and the RFC variant, so the id is a well-formed UUID.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static byte[] Hash(int seed, string stream, string? key) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{stream}/{key}"));
}

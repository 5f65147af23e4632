namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>A fixed-capacity buffer, oldest first; adding to a full one evicts the oldest item.</summary>
internal sealed class RingBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[capacity];
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    /// <summary>0 is the oldest item, Count - 1 the newest.</summary>
    public T this[int index] => _items[(_start + index) % _items.Length];

    /// <returns>true when the buffer was full and <paramref name="evicted"/> made room.</returns>
    public bool Add(T item, out T? evicted)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count++) % _items.Length] = item;
            evicted = default;
            return false;
        }

        evicted = _items[_start];
        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        return true;
    }

    /// <summary>Evicts the oldest item, as a byte budget does when large items fill the memory before the count.</summary>
    public bool TryRemoveOldest(out T? removed)
    {
        if (Count == 0)
        {
            removed = default;
            return false;
        }

        removed = _items[_start];
        _items[_start] = default!;
        _start = (_start + 1) % _items.Length;
        Count--;
        return true;
    }

    public IEnumerable<T> NewestFirst()
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            yield return this[i];
        }
    }

    public IEnumerable<T> OldestFirst()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }
}

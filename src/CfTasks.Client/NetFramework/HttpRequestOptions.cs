namespace System.Net.Http
{
    /// <summary>
    /// .NET Framework has <c>HttpRequestMessage.Properties</c> where .NET 5+ has <c>Options</c>; Refit writes
    /// <c>[Property]</c> values to whichever the runtime has. This is the small part of the .NET 5 API the client uses,
    /// over <c>Properties</c>, so the shared code reads request options the same way on both builds.
    /// </summary>
    internal readonly struct HttpRequestOptionsKey<TValue>(string key)
    {
        public string Key { get; } = key;
    }

    /// <summary>A typed view of <c>HttpRequestMessage.Properties</c>.</summary>
    internal readonly struct HttpRequestOptions(IDictionary<string, object> properties)
    {
        public bool TryGetValue<TValue>(HttpRequestOptionsKey<TValue> key, out TValue value)
        {
            if (properties.TryGetValue(key.Key, out var stored) && stored is TValue typed)
            {
                value = typed;
                return true;
            }
            value = default!;
            return false;
        }

        public void Set<TValue>(HttpRequestOptionsKey<TValue> key, TValue value) => properties[key.Key] = value!;
    }

    internal static class HttpRequestMessageOptions
    {
        extension(HttpRequestMessage request)
        {
            /// <summary>The request's options (its <c>Properties</c>).</summary>
            public HttpRequestOptions Options => new(request.Properties);
        }
    }
}

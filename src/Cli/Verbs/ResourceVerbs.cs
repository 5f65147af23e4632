using System.Diagnostics;
using System.Text.Json.Nodes;
using LogisticsSync.Cli.Arguments;
using LogisticsSync.Cli.Estate;
using LogisticsSync.Cli.Output;

namespace LogisticsSync.Cli.Verbs;

/// <summary>The verbs on the control API: status, urls, logs, env, open and the resource commands.</summary>
public sealed class ResourceVerbs(EstateClient estate, CliArguments args, TextWriter output)
{
    public async Task<int> StatusAsync(CancellationToken cancellationToken)
    {
        do
        {
            var resources = (JsonArray)await estate.GetAsync("api/resources", cancellationToken);
            if (args.Has("watch") && !args.Json)
            {
                output.Write("\u001b[H\u001b[2J");
            }

            output.Write(args.Json ? resources.ToJsonString() + "\n" : ResourceTable.Render(resources));
            if (args.Has("watch"))
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        while (args.Has("watch") && !cancellationToken.IsCancellationRequested);

        return 0;
    }

    public async Task<int> UrlsAsync(CancellationToken cancellationToken)
    {
        var resources = (JsonArray)await estate.GetAsync("api/resources", cancellationToken);
        var urls = new JsonObject { ["dashboard"] = LoginLink() };
        foreach (var resource in resources.OfType<JsonObject>().Where(r => r["endpoints"] is JsonObject { Count: > 0 }))
        {
            urls[resource["name"]!.ToString()] = resource["endpoints"]!.DeepClone();
        }

        if (args.Json)
        {
            output.WriteLine(urls.ToJsonString());
            return 0;
        }

        foreach (var (name, value) in urls)
        {
            var endpoints = value is JsonObject map ? map.Select(e => $"{e.Key}={e.Value}") : [value!.ToString()];
            output.WriteLine($"{name,-22}{string.Join(' ', endpoints)}");
        }

        return 0;
    }

    public async Task<int> LogsAsync(CancellationToken cancellationToken)
    {
        var name = ResourceName();
        long? after = null;
        var tail = args.Int("tail") ?? 200;
        do
        {
            var lines = (JsonArray)await estate.GetAsync($"api/resources/{Uri.EscapeDataString(name)}/logs?tail={tail}{(after is null ? "" : $"&after={after}")}", cancellationToken);
            foreach (var line in lines.OfType<JsonObject>().Where(ForReplica))
            {
                after = line["sequence"]?.GetValue<long>() ?? after;
                output.WriteLine(args.Json ? line.ToJsonString() : line["text"]?.ToString() ?? line["line"]?.ToString() ?? line.ToJsonString());
            }

            if (args.Has("f"))
            {
                tail = 5_000;
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        while (args.Has("f") && !cancellationToken.IsCancellationRequested);

        return 0;
    }

    public async Task<int> EnvAsync(CancellationToken cancellationToken)
    {
        var launch = await estate.GetAsync($"api/resources/{Uri.EscapeDataString(ResourceName())}/environment?replica={args.Int("replica") ?? 0}", cancellationToken);
        if (args.Json)
        {
            output.WriteLine(launch.ToJsonString());
            return 0;
        }

        output.WriteLine($"command: {launch["command"]}");
        foreach (var (key, value) in launch["environment"] as JsonObject ?? [])
        {
            output.WriteLine($"{key}={value}");
        }

        return 0;
    }

    /// <summary>Every model parameter with its value: the credentials a person or a tool needs to call the estate as a partner.</summary>
    public async Task<int> KeysAsync(CancellationToken cancellationToken)
    {
        if (args.Operands.Count == 1)
        {
            // One value alone, for a shell: curl -H "X-Api-Key: $(./estate keys portal-api-key)" …
            output.WriteLine(await estate.ParameterAsync(args.Operands[0], cancellationToken));
            return 0;
        }

        var keys = new JsonObject();
        foreach (var parameter in (JsonArray)await estate.GetAsync("api/parameters", cancellationToken))
        {
            var name = parameter!["name"]!.ToString();
            keys[name] = await estate.ParameterAsync(name, cancellationToken);
        }

        output.WriteLine(args.Json ? keys.ToJsonString() : string.Join(Environment.NewLine, keys.Select(k => $"{k.Key}={k.Value}")));
        return 0;
    }

    public int Open()
    {
        var link = LoginLink();
        output.WriteLine(args.Json ? new JsonObject { ["url"] = link }.ToJsonString() : link);
        var opener = new[] { "/usr/bin/xdg-open", "/usr/local/bin/xdg-open" }.FirstOrDefault(File.Exists);
        if (opener is not null && !args.Json)
        {
            using var process = Process.Start(new ProcessStartInfo(opener, link) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
        }

        return 0;
    }

    public async Task<int> CommandAsync(string command, CancellationToken cancellationToken)
    {
        var replica = args.Int("replica");
        var snapshot = await estate.PostAsync(
            $"api/resources/{Uri.EscapeDataString(ResourceName())}/commands/{command}{(replica is null ? "" : $"?replica={replica}")}", cancellationToken);
        output.Write(args.Json ? snapshot.ToJsonString() + "\n" : ResourceTable.Render([snapshot.DeepClone()]));
        return 0;
    }

    private string LoginLink() => new Uri(estate.ControlUrl, $"login?t={Uri.EscapeDataString(estate.Token)}").ToString();

    private bool ForReplica(JsonObject line) =>
        args.Int("replica") is not { } replica || line["replica"] is not { } value || value.GetValue<int>() == replica;

    private string ResourceName() =>
        args.Operands.Count == 1 ? args.Operands[0] : throw new UsageException($"'{args.Verb}' takes one resource name.");
}

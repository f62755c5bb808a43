using System.Text.Json;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// The lines a <c>printenv</c> in a task prints: a CF-like container environment including secret-looking values,
/// so redaction can be tested. The secret values are public constants for assertions.
/// </summary>
public static partial class EnvironmentDump
{
    public static IReadOnlyList<string> Lines(TaskLaunch launch)
    {
        var env = launch.Environment;
        return
        [
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "HOME=/home/vcap/app",
            "USER=vcap",
            "LANG=en_US.UTF-8",
            "PORT=8080",
            "TMPDIR=/home/vcap/tmp",
            $"MEMORY_LIMIT={launch.MemoryInMb}m",
            "CF_INSTANCE_INDEX=0",
            "CF_INSTANCE_IP=10.0.16.23",
            "CF_INSTANCE_INTERNAL_IP=10.255.87.4",
            "CF_INSTANCE_ADDR=10.0.16.23:61012",
            "CF_INSTANCE_PORT=61012",
            $"CF_INSTANCE_GUID={launch.TaskGuid}",
            "INSTANCE_INDEX=0",
            "VCAP_APPLICATION=" + VcapApplication(launch),
            "VCAP_SERVICES=" + VcapServices(),
            $"DATABASE_PASSWORD={DatabasePassword}",
            $"API_TOKEN={ApiToken}",
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
            $"AWS_SECRET_ACCESS_KEY={AwsSecretAccessKey}",
            $"CF_API={env.ApiUrl}",
        ];
    }

    internal static string VcapApplication(TaskLaunch launch)
    {
        var env = launch.Environment;
        return Compact(w =>
        {
            w.WriteStartObject();
            w.WriteString("application_id", env.AppGuid);
            w.WriteString("application_name", env.AppName);
            w.WriteStartArray("application_uris");
            w.WriteEndArray();
            w.WriteString("cf_api", env.ApiUrl);
            w.WriteStartObject("limits");
            w.WriteNumber("fds", 16384);
            w.WriteNumber("mem", launch.MemoryInMb);
            w.WriteNumber("disk", launch.DiskInMb);
            w.WriteEndObject();
            w.WriteString("name", env.AppName);
            w.WriteString("organization_id", env.OrganizationGuid);
            w.WriteString("organization_name", env.OrganizationName);
            w.WriteString("space_id", env.SpaceGuid);
            w.WriteString("space_name", env.SpaceName);
            w.WriteStartArray("uris");
            w.WriteEndArray();
            w.WriteNull("users");
            w.WriteEndObject();
        });
    }

    private static string VcapServices() => Compact(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("p.mysql");
        w.WriteStartObject();
        w.WriteString("label", "p.mysql");
        w.WriteString("name", "billing-db");
        w.WriteString("plan", "db-small");
        w.WriteString("instance_name", "billing-db");
        w.WriteStartArray("tags");
        w.WriteStringValue("mysql");
        w.WriteEndArray();
        w.WriteStartObject("credentials");
        w.WriteString("hostname", "10.0.8.4");
        w.WriteNumber("port", 3306);
        w.WriteString("name", "service_instance_db");
        w.WriteString("username", "billing_user");
        w.WriteString("password", ServicePassword);
        w.WriteString("uri", $"mysql://billing_user:{ServicePassword}@10.0.8.4:3306/service_instance_db?reconnect=true");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static string Compact(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("CfTasks")]
[assembly: InternalsVisibleTo("CfTasks.Client")]
[assembly: InternalsVisibleTo("CfTasks.Client.Tests")]

using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Services;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;

namespace CfTasks.Client.Tests;

/// <summary>
/// Task creation is not idempotent on Cloud Foundry: a POST that fails without a clear answer must be reconciled
/// (found by its request-id label) before it is sent again. No task may be started twice and none may be lost.
/// </summary>
public sealed class TaskStartIdempotencyTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;
    private IFakeControls State => _fixture.Fake.State;

    public TaskStartIdempotencyTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private const string CreatePath = "^/v3/apps/[^/]+/tasks$";

    private async Task<(CfSession Session, CfApp App)> ConnectAsync(CfClientOptions? options = null)
    {
        var session = await _fixture.ConnectAsync(options: options);
        return (session, await session.Apps.GetByNameAsync("training-app", CancellationToken.None));
    }

    private int PostsTo(CfApp app) => _fixture.RequestsTo("POST", $"/v3/apps/{app.Guid}/tasks").Count;

    [Fact]
    public async Task Connection_dropped_after_cc_created_the_task_returns_that_task_without_a_second_post()
    {
        var (session, app) = await ConnectAsync();
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.DropAfter, Count = 1 });

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Name = "migrate", Command = "sleep 60" }, CancellationToken.None);

        var only = Assert.Single(State.TasksOf(app.Guid));
        Assert.Equal(only.Guid, task.Guid);
        Assert.Equal(("migrate", "sleep 60"), (task.Name, task.Command));
        Assert.Equal(1, PostsTo(app));
        var lookup = Assert.Single(_fixture.RequestsTo("GET", $"/v3/apps/{app.Guid}/tasks"));
        Assert.Contains($"label_selector={TaskStarter.RequestIdLabel}%3D{task.Labels[TaskStarter.RequestIdLabel]}", lookup.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_from_in_front_of_cc_is_looked_up_then_retried_and_starts_one_task()
    {
        var (session, app) = await ConnectAsync();
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.Status, Status = 503, Count = 2 });

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);

        Assert.Equal(task.Guid, Assert.Single(State.TasksOf(app.Guid)).Guid);
        Assert.Equal(3, PostsTo(app));
    }

    [Fact]
    public async Task A_post_that_times_out_is_looked_up_then_retried_and_starts_one_task()
    {
        var (session, app) = await ConnectAsync(new CfClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(500),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        });
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.Hang, Count = 1 });

        var task = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60" }, CancellationToken.None);

        Assert.Equal(task.Guid, Assert.Single(State.TasksOf(app.Guid)).Guid);
        Assert.Equal(2, PostsTo(app));
    }

    [Fact]
    public async Task When_every_attempt_fails_no_task_exists_and_the_error_says_none_was_started()
    {
        var (session, app) = await ConnectAsync();
        session.Tasks.Starter.MaxAttempts = 3;
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.Status, Status = 502 });

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x" }, CancellationToken.None));

        Assert.Equal(CfFailure.TaskNotStarted, error.Failure);
        Assert.Contains("none was started", error.Message, StringComparison.Ordinal);
        Assert.Contains("training-app", error.Message, StringComparison.Ordinal);
        Assert.Empty(State.TasksOf(app.Guid));
        Assert.Equal(3, PostsTo(app));
    }

    [Fact]
    public async Task When_the_lookup_fails_too_the_error_says_the_outcome_is_unknown_and_names_the_request_id()
    {
        var (session, app) = await ConnectAsync();
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.DropAfter, Count = 1 });
        State.AddFault(new FaultRule { Method = "GET", Path = CreatePath, Action = FaultActions.Status, Status = 503 });

        var error = await Assert.ThrowsAsync<CfException>(() =>
            session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x", RequestId = "0123456789abcdef0123456789abcdef" }, CancellationToken.None));

        Assert.Equal(CfFailure.TaskStartUnconfirmed, error.Failure);
        Assert.Contains("cftasks-request-id=0123456789abcdef0123456789abcdef", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, PostsTo(app)); // never re-sent blindly
        Assert.Single(State.TasksOf(app.Guid));
    }

    [Fact]
    public async Task The_same_request_id_twice_after_a_drop_does_not_start_a_second_task()
    {
        var (session, app) = await ConnectAsync();
        const string id = "fedcba9876543210fedcba9876543210";
        var first = await session.Tasks.StartAsync(app, new TaskStartRequest { Command = "sleep 60", RequestId = id }, CancellationToken.None);

        var found = await session.Tasks.Starter.FindByRequestIdAsync(app, id, CancellationToken.None);

        Assert.Equal(first.Guid, found?.Guid);
        Assert.Null(await session.Tasks.Starter.FindByRequestIdAsync(app, TaskStarter.NewRequestId(), CancellationToken.None));
    }

    [Fact]
    public async Task Cc_own_task_worker_failure_is_reported_not_retried()
    {
        var (session, app) = await ConnectAsync();
        State.AddFault(new FaultRule
        {
            Method = "POST", Path = CreatePath, Action = FaultActions.Status, Status = 503, Count = 1,
            Body = """{"errors":[{"detail":"Task workers are unavailable: diego down","title":"CF-TaskWorkersUnavailable","code":170020}]}""",
        });

        var error = await Assert.ThrowsAsync<CfException>(() => session.Tasks.StartAsync(app, new TaskStartRequest { Command = "x" }, CancellationToken.None));

        Assert.Equal(CfFailure.TaskWorkersUnavailable, error.Failure);
        Assert.Contains("Task workers are unavailable", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, PostsTo(app));
    }

    [Theory]
    [InlineData(100)]
    public async Task Many_starts_under_ambiguous_post_failures_create_exactly_one_task_each(int starts)
    {
        var (session, app) = await ConnectAsync(new CfClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(400),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        });
        session.Tasks.Starter.MaxAttempts = 8;
        // First match wins: about 15% dropped after acting, then 15% of the rest 503, then 5% of the rest hang.
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.DropAfter, Rate = 0.15, Seed = 11 });
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.Status, Status = 503, Rate = 0.15, Seed = 12 });
        State.AddFault(new FaultRule { Method = "POST", Path = CreatePath, Action = FaultActions.Hang, Rate = 0.05, Seed = 13 });
        State.AddFault(new FaultRule { Method = "GET", Path = CreatePath, Action = FaultActions.Status, Status = 503, Rate = 0.1, Seed = 14 });

        using var throttle = new SemaphoreSlim(8);
        var started = await Task.WhenAll(Enumerable.Range(1, starts).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                return await session.Tasks.StartAsync(app, new TaskStartRequest { Name = $"start-{i}", Command = "sleep 600" }, CancellationToken.None);
            }
            finally
            {
                throttle.Release();
            }
        }));

        var created = State.TasksOf(app.Guid);
        Assert.Equal(starts, created.Count);
        Assert.Equal(starts, created.Select(t => t.Name).Distinct().Count());
        Assert.Equal(created.Select(t => t.Guid).Order(), started.Select(t => t.Guid).Order());
        var faulted = State.Requests().Count(r => r.Method == "POST" && r.Fault is not null);
        Assert.True(faulted > starts / 10, $"only {faulted} POSTs were faulted: the test proves nothing");
    }
}

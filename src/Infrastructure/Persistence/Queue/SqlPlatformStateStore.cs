using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>Saves a publisher's mid-publish state on the queue row, fenced by the lock token.</summary>
public sealed class SqlPlatformStateStore(IConfiguration configuration) : IPlatformStateStore
{
    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task<bool> SaveAsync(Guid postId, Guid lockToken, string? state, CancellationToken cancellationToken)
    {
        if (state?.Length > PostSchedule.PlatformStateMaxLength)
        {
            throw new InvalidOperationException(
                $"A platform state of {state.Length} characters for post {postId} is over the {PostSchedule.PlatformStateMaxLength} cap: a publisher bug.");
        }

        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = new MySqlCommand(
            $"""
            UPDATE post_schedule SET platform_state = @state, updated_at = UTC_TIMESTAMP(6)
            WHERE post_detail_id = @post AND status = '{EnumNames.Of(ScheduleStatus.Processing)}' AND lock_token = @token
            """,
            connection);
        command.Parameters.AddWithValue("@state", state);
        command.Parameters.AddWithValue("@post", postId);
        command.Parameters.AddWithValue("@token", lockToken);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

using Riok.Mapperly.Abstractions;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts;

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class PostMapper
{
    [MapProperty([nameof(Post.Schedule), nameof(PostSchedule.Attempts)], nameof(PostDto.Attempts))]
    [MapProperty([nameof(Post.Schedule), nameof(PostSchedule.MaxAttempts)], nameof(PostDto.MaxAttempts))]
    [MapProperty([nameof(Post.Schedule), nameof(PostSchedule.LastError)], nameof(PostDto.LastError))]
    [MapPropertyFromSource(nameof(PostDto.Status), Use = nameof(StateOf))]
    [MapPropertyFromSource(nameof(PostDto.NextAttemptAt), Use = nameof(NextAttemptOf))]
    [MapperIgnoreTarget(nameof(PostDto.Warnings))]
    public static partial PostDto ToDto(this Post post);

    public static partial IQueryable<PostDto> ProjectToDto(this IQueryable<Post> posts);

    private static DateTimeOffset? NextAttemptOf(Post post) =>
        post.Schedule.Status == ScheduleStatus.Pending ? post.Schedule.NextAttemptAt : null;

    private static PostState StateOf(Post post) =>
        post.Schedule.Status == ScheduleStatus.Processing ? PostState.Processing
        : post.Status == PostStatus.Published ? PostState.Published
        : post.Status == PostStatus.Failed ? PostState.Failed
        : post.Status == PostStatus.Cancelled ? PostState.Cancelled
        : post.Status == PostStatus.Missed ? PostState.Missed
        : post.Status == PostStatus.Draft ? PostState.Draft
        : post.Status == PostStatus.PendingApproval ? PostState.PendingApproval
        : PostState.Pending;
}

using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetPost;

namespace Scheduler.Application.UnitTests.Common;

public sealed class BehaviourTests
{
    private static readonly CancelPostCommand Command = new(Guid.CreateVersion7());

    [Fact]
    public async Task Validation_WhenAValidatorFails_ThrowsWithEveryFailureAndNeverCallsTheHandler()
    {
        var first = Substitute.For<IValidator<CancelPostCommand>>();
        first.ValidateAsync(Arg.Any<IValidationContext>(), Arg.Any<CancellationToken>())
            .Returns(new ValidationResult([new ValidationFailure("postId", "first")]));
        var second = Substitute.For<IValidator<CancelPostCommand>>();
        second.ValidateAsync(Arg.Any<IValidationContext>(), Arg.Any<CancellationToken>())
            .Returns(new ValidationResult([new ValidationFailure("other", "second")]));
        var handlerCalled = false;
        var behaviour = new ValidationBehaviour<CancelPostCommand, PostDto>([first, second]);

        var ex = await Assert.ThrowsAsync<ValidationException>(async () =>
            await behaviour.Handle(Command, (_, _) => { handlerCalled = true; return default; }, CancellationToken.None));

        Assert.False(handlerCalled);
        Assert.Equal(["first", "second"], ex.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public async Task Validation_WhenValid_CallsTheHandler()
    {
        var behaviour = new ValidationBehaviour<CancelPostCommand, PostDto>([new CancelPostCommandValidator()]);
        var calls = 0;
        await behaviour.Handle(Command, (_, _) => { calls++; return default; }, CancellationToken.None);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Transaction_WrapsACommandInTheUnitOfWork()
    {
        var unitOfWork = Substitute.For<IUnitOfWork>();
        unitOfWork.ExecuteInTransactionAsync(Arg.Any<Func<CancellationToken, ValueTask<PostDto>>>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Func<CancellationToken, ValueTask<PostDto>>>()(CancellationToken.None).AsTask());
        var calls = 0;

        await new TransactionBehaviour<CancelPostCommand, PostDto>(unitOfWork)
            .Handle(Command, (_, _) => { calls++; return default; }, CancellationToken.None);

        Assert.Equal(1, calls);
        await unitOfWork.Received(1).ExecuteInTransactionAsync(
            Arg.Any<Func<CancellationToken, ValueTask<PostDto>>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Transaction_JoinsAnOpenTransactionInsteadOfNestingOne()
    {
        var unitOfWork = Substitute.For<IUnitOfWork>();
        unitOfWork.HasActiveTransaction.Returns(true);
        var calls = 0;

        await new TransactionBehaviour<CancelPostCommand, PostDto>(unitOfWork)
            .Handle(Command, (_, _) => { calls++; return default; }, CancellationToken.None);

        Assert.Equal(1, calls);
        await unitOfWork.DidNotReceive().ExecuteInTransactionAsync(
            Arg.Any<Func<CancellationToken, ValueTask<PostDto>>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Transaction_SkipsCommandsThatManageTheirOwnTransactions()
    {
        var unitOfWork = Substitute.For<IUnitOfWork>();
        await new TransactionBehaviour<SelfManagedCommand, int>(unitOfWork)
            .Handle(new SelfManagedCommand(), (_, _) => ValueTask.FromResult(7), CancellationToken.None);
        await unitOfWork.DidNotReceive().ExecuteInTransactionAsync(
            Arg.Any<Func<CancellationToken, ValueTask<int>>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Transaction_CannotBeBuiltForAQuery()
    {
        // The generic constraint (IBaseCommand) is what keeps queries out of transactions: the mediator's
        // generated pipeline only includes the behaviour for messages that satisfy it.
        Assert.Throws<ArgumentException>(() =>
            typeof(TransactionBehaviour<,>).MakeGenericType(typeof(GetPostQuery), typeof(PostDto)));
        Assert.NotNull(typeof(TransactionBehaviour<,>).MakeGenericType(typeof(CancelPostCommand), typeof(PostDto)));
    }

    [Fact]
    public async Task Logging_RethrowsTheSameException()
    {
        var behaviour = new LoggingBehaviour<CancelPostCommand, PostDto>(
            NullLogger<LoggingBehaviour<CancelPostCommand, PostDto>>.Instance);
        var boom = new InvalidOperationException("boom");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await behaviour.Handle(Command, (_, _) => throw boom, CancellationToken.None));

        Assert.Same(boom, thrown);
    }

    public sealed record SelfManagedCommand : ICommand<int>, IManagesOwnTransactions;
}

using System.ComponentModel.DataAnnotations;
using Scheduler.Application.Dispatching;

namespace Scheduler.Application.UnitTests.Dispatching;

public sealed class DispatcherOptionsTests
{
    private static List<ValidationResult> Validate(DispatcherOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void MissedAfter_IsOffByDefault_AndMayBeAnyPositiveDuration()
    {
        Assert.Null(new DispatcherOptions().MissedAfter);
        Assert.Empty(Validate(new DispatcherOptions()));
        Assert.Empty(Validate(new DispatcherOptions { MissedAfter = TimeSpan.FromMinutes(30) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void MissedAfter_ThatIsNotPositive_IsRefusedByName(int minutes)
    {
        var error = Assert.Single(Validate(new DispatcherOptions { MissedAfter = TimeSpan.FromMinutes(minutes) }));
        Assert.Contains("Dispatcher:MissedAfter", error.ErrorMessage, StringComparison.Ordinal);
    }
}

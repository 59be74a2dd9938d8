namespace Scheduler.Application.Common.Exceptions;

/// <summary>A feature this deployment has not been configured for (501): the message names the settings it needs.</summary>
public sealed class NotConfiguredException(string message) : Exception(message);

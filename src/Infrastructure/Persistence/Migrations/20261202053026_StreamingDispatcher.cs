using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StreamingDispatcher : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_post_schedule_status_run_at_id",
                table: "post_schedule");

            migrationBuilder.AddColumn<DateTime>(
                name: "next_attempt_at",
                table: "post_schedule",
                type: "datetime(6)",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "recoveries",
                table: "post_schedule",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "social_account_id",
                table: "post_schedule",
                type: "binary(16)",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Existing rows: the queue's next attempt is today's run_at (a retried row's original time is not known
            // any more); the account comes from the post.
            migrationBuilder.Sql(
                """
                UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id
                SET s.next_attempt_at = s.run_at, s.social_account_id = d.social_account_id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_post_schedule_claim",
                table: "post_schedule",
                columns: new[] { "status", "next_attempt_at", "id", "social_account_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_post_schedule_claim",
                table: "post_schedule");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "post_schedule");

            migrationBuilder.DropColumn(
                name: "recoveries",
                table: "post_schedule");

            migrationBuilder.DropColumn(
                name: "social_account_id",
                table: "post_schedule");

            migrationBuilder.CreateIndex(
                name: "ix_post_schedule_status_run_at_id",
                table: "post_schedule",
                columns: new[] { "status", "run_at", "id" });
        }
    }
}

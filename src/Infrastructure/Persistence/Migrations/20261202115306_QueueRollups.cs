using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QueueRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "queue_rollups",
                columns: table => new
                {
                    company_id = table.Column<Guid>(type: "binary(16)", nullable: false),
                    minute = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    published = table.Column<int>(type: "int", nullable: false),
                    failed = table.Column<int>(type: "int", nullable: false),
                    retried = table.Column<int>(type: "int", nullable: false),
                    due = table.Column<int>(type: "int", nullable: false),
                    pending_future = table.Column<int>(type: "int", nullable: false),
                    processing = table.Column<int>(type: "int", nullable: false),
                    lateness_p50_ms = table.Column<double>(type: "double", nullable: true),
                    lateness_p95_ms = table.Column<double>(type: "double", nullable: true),
                    lateness_p99_ms = table.Column<double>(type: "double", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_rollups", x => new { x.company_id, x.minute });
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "ix_post_details_status_published_at",
                table: "post_details",
                columns: new[] { "status", "published_at" });

            migrationBuilder.CreateIndex(
                name: "ix_post_details_status_updated_at",
                table: "post_details",
                columns: new[] { "status", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_post_attempts_finished_at",
                table: "post_attempts",
                column: "finished_at");

            migrationBuilder.CreateIndex(
                name: "ix_queue_rollups_minute",
                table: "queue_rollups",
                column: "minute");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "queue_rollups");

            migrationBuilder.DropIndex(
                name: "ix_post_details_status_published_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_status_updated_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_attempts_finished_at",
                table: "post_attempts");
        }
    }
}

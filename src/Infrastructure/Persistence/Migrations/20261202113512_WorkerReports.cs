using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkerReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "host",
                table: "worker_heartbeats",
                type: "varchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<int>(
                name: "in_flight",
                table: "worker_heartbeats",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "published_per_minute",
                table: "worker_heartbeats",
                type: "double",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<DateTime>(
                name: "started_at",
                table: "worker_heartbeats",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "version",
                table: "worker_heartbeats",
                type: "varchar(50)",
                maxLength: 50,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "host",
                table: "worker_heartbeats");

            migrationBuilder.DropColumn(
                name: "in_flight",
                table: "worker_heartbeats");

            migrationBuilder.DropColumn(
                name: "published_per_minute",
                table: "worker_heartbeats");

            migrationBuilder.DropColumn(
                name: "started_at",
                table: "worker_heartbeats");

            migrationBuilder.DropColumn(
                name: "version",
                table: "worker_heartbeats");
        }
    }
}
